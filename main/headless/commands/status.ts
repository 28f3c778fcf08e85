import type { CliContext } from '../cli-context.js';
import { connectToDaemon, NoDaemonError } from '../daemon-connection.js';

/** `status`: whether the app runs for this data dir, where, and which version. Exit 0 running, 1 not. */
export async function status(ctx: CliContext, options: { json: boolean }): Promise<number> {
  try {
    const { client, daemon } = await connectToDaemon(ctx.dataDir);
    try {
      const info = await client.call('app.info');
      const url = `${daemon.url}/#token=${daemon.token}`;
      if (options.json) {
        ctx.out(JSON.stringify({ running: true, host: info.host, version: info.version, pid: daemon.pid, url, dataDir: info.dataDir }));
      } else {
        ctx.out(`Agent Relay ${info.version} is running (${info.host}, pid ${daemon.pid}) for ${info.dataDir}`);
        ctx.out(`Dashboard: ${url}`);
      }
      return 0;
    } finally {
      client.close();
    }
  } catch (error) {
    if (!(error instanceof NoDaemonError)) throw error;
    if (options.json) ctx.out(JSON.stringify({ running: false, dataDir: ctx.dataDir }));
    else ctx.err(error.message);
    return 1;
  }
}
