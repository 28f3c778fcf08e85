import { processAlive, readDaemonFile, TOKEN_ENV } from '../../core/transport/daemon-file.js';
import { PortInUseError } from '../../core/transport/server.js';
import { APP_VERSION } from '../../core/base/version.js';
import { DEFAULT_PORT, startHeadless } from '../host.js';
import { hasDisplay, openBrowser } from '../open-browser.js';
import type { CliContext } from '../cli-context.js';

export interface UpOptions {
  port?: number;
  host: string;
  open: boolean;
  json: boolean;
  token?: string;
  /** On SIGINT/SIGTERM stop the agents too (by default they keep running in the terminal host). */
  stopAgents?: boolean;
}

/** `up`: run the daemon headless and serve the dashboard until SIGINT/SIGTERM. */
export async function up(ctx: CliContext, options: UpOptions): Promise<number> {
  const running = readDaemonFile(ctx.dataDir);
  if (running && running.pid !== process.pid && processAlive(running.pid)) {
    const url = `${running.url}/#token=${running.token}`;
    if (options.json) ctx.out(JSON.stringify({ event: 'already-running', url, port: running.port, pid: running.pid }));
    else ctx.out(`Agent Relay is already running for ${ctx.dataDir} (pid ${running.pid}, ${running.host}).\nDashboard: ${url}`);
    return 0;
  }

  // Signals are caught from the start, so a stop that arrives during start-up still shuts down cleanly.
  let stopSignal: NodeJS.Signals | undefined;
  let requestStop: ((signal: NodeJS.Signals) => void) | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (requestStop) requestStop(signal);
    else stopSignal ??= signal;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const release = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };

  const token = options.token || process.env[TOKEN_ENV] || undefined;
  let host;
  try {
    host = await startHeadless({
      dataDir: ctx.dataDir,
      host: options.host,
      port: options.port,
      token,
      ...(ctx.providersConfig ? { providersConfig: ctx.providersConfig } : {}),
    });
  } catch (error) {
    release();
    const message =
      error instanceof PortInUseError
        ? error.message
        : `Could not start the dashboard on ${options.host}: ${(error as Error).message}`;
    if (options.json) ctx.out(JSON.stringify({ event: 'error', code: (error as { code?: string }).code ?? 'start_failed', message }));
    else ctx.err(message);
    return 1;
  }
  const { server } = host;

  if (options.json) {
    ctx.out(JSON.stringify({ event: 'listening', url: server.dashboardUrl, port: server.port, token: host.token }));
  } else {
    ctx.out(`Agent Relay ${APP_VERSION} running headless; data in ${ctx.dataDir}`);
    if (server.fellBack) ctx.out(`Port ${options.port ?? DEFAULT_PORT} was in use, so a free port was chosen instead.`);
    ctx.out(`Dashboard: ${server.dashboardUrl}`);
    ctx.out('Press Ctrl+C to stop.');
  }
  if (!['127.0.0.1', 'localhost', '::1'].includes(options.host)) {
    ctx.err(`Warning: listening on ${options.host}, reachable from other machines; anyone with the token has full control.`);
  }

  if (options.open && hasDisplay()) {
    void openBrowser(server.dashboardUrl).then((opened) => {
      if (!opened) ctx.err('Could not open a browser; open the dashboard address above yourself.');
    });
  }

  return new Promise<number>((resolve) => {
    let stopping = false;
    requestStop = (signal) => {
      if (stopping) {
        ctx.err(`Second ${signal}: exiting now.`);
        process.exit(1);
      }
      stopping = true;
      const keepAgents = !options.stopAgents && host.service.agents.manager.release !== undefined;
      const running = host.service.agents.list().filter((agent) => agent.status !== 'exited').length;
      if (!options.json) {
        ctx.out(
          keepAgents && running > 0
            ? `Stopping (${signal}); ${running === 1 ? '1 agent keeps' : `${running} agents keep`} running in the background. \`agent-relay-desktop up\` reattaches, \`agent-relay-desktop down\` stops them.`
            : `Stopping (${signal})…`,
        );
      }
      void host.close({ keepAgents }).then(
        () => {
          release();
          if (options.json) ctx.out(JSON.stringify({ event: 'stopped', signal, ...(keepAgents && running > 0 ? { agentsKept: running } : {}) }));
          resolve(0);
        },
        (error: unknown) => {
          release();
          ctx.err(`Shutdown failed: ${(error as Error).message}`);
          resolve(1);
        },
      );
    };
    if (stopSignal) requestStop(stopSignal);
  });
}
