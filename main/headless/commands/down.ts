import { processAlive, readDaemonFile } from '../../core/transport/daemon-file.js';
import { APP_VERSION } from '../../core/base/version.js';
import { stopTerminalHost } from '../../core/terminal-host/host-client.js';
import type { CliContext } from '../cli-context.js';

const waitFor = async (check: () => boolean, ms: number) => {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return check();
};

/** `down`: stops every agent (the terminal host), then the daemon (`up` or the tray app). */
export async function down(ctx: CliContext, options: { json: boolean }): Promise<number> {
  let host: Awaited<ReturnType<typeof stopTerminalHost>> = { stopped: false, agents: 0 };
  try {
    host = await stopTerminalHost(ctx.dataDir, APP_VERSION);
  } catch (error) {
    ctx.err(`Could not reach the terminal host: ${(error as Error).message}`);
  }
  const daemon = readDaemonFile(ctx.dataDir);
  let daemonStopped = false;
  if (daemon && daemon.pid !== process.pid && processAlive(daemon.pid)) {
    try {
      process.kill(daemon.pid, 'SIGTERM');
    } catch (error) {
      ctx.err(`Could not stop Agent Relay (pid ${daemon.pid}): ${(error as Error).message}`);
      return 1;
    }
    daemonStopped = await waitFor(() => !processAlive(daemon.pid), 15_000);
    if (!daemonStopped) {
      ctx.err(`Agent Relay (pid ${daemon.pid}) did not stop within 15 seconds.`);
      return 1;
    }
  }
  if (options.json) {
    ctx.out(JSON.stringify({ daemonStopped, daemonPid: daemonStopped ? daemon?.pid : undefined, hostStopped: host.stopped, agentsStopped: host.agents }));
  } else if (!daemonStopped && !host.stopped) {
    ctx.out(`Agent Relay is not running for ${ctx.dataDir}; nothing to stop.`);
  } else {
    const parts = [];
    if (daemonStopped) parts.push(`Agent Relay (pid ${daemon!.pid})`);
    if (host.stopped) parts.push(host.agents === 1 ? '1 agent' : `${host.agents} agents`);
    ctx.out(`Stopped ${parts.join(' and ')}.`);
  }
  return 0;
}
