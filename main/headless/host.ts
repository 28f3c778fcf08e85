import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeDaemonFile, writeDaemonFile } from '../core/transport/daemon-file.js';
import { createLogger, type Logger } from '../core/logging/logger.js';
import { createService, openAgentRuntime, type RelayService } from '../core/service.js';
import { JsonFileSettingsStore } from '../core/settings/settings-store.js';
import { newToken } from '../core/transport/auth.js';
import { startServer, type RunningServer } from '../core/transport/server.js';
import { APP_VERSION } from '../core/base/version.js';
export const DEFAULT_PORT = 7433;

export interface HeadlessOptions {
  dataDir: string;
  host: string;
  /** undefined = the default port with fallback; 0 = any free port; N = exactly N. */
  port?: number;
  token?: string;
  /** The built renderer; defaults to dist/renderer beside this bundle. */
  staticDir?: string;
  logger?: Logger;
  /** providers.json (default: in the data dir). */
  providersConfig?: string;
}

export interface HeadlessHost {
  readonly service: RelayService;
  readonly server: RunningServer;
  readonly token: string;
  readonly logger: Logger;
  /** keepAgents: the agents keep running in the terminal host (SIGTERM); otherwise they stop. */
  close(options?: { keepAgents?: boolean }): Promise<void>;
}

export function defaultStaticDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'renderer');
}

/** Starts the daemon with the UI served on loopback: the headless host. */
export async function startHeadless(options: HeadlessOptions): Promise<HeadlessHost> {
  fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const logger = options.logger ?? createLogger({ dir: path.join(options.dataDir, 'logs'), sync: false });
  const token = options.token ?? newToken();
  const agentRuntime = await openAgentRuntime(options.dataDir, logger, process.env.AGENT_RELAY_VERSION_OVERRIDE || APP_VERSION);
  const service = createService({
    ...(agentRuntime ? { agentRuntime } : {}),
    host: 'headless',
    version: APP_VERSION,
    dataDir: options.dataDir,
    settingsStore: new JsonFileSettingsStore(options.dataDir),
    logger,
    ...(options.providersConfig ? { providersConfig: options.providersConfig } : {}),
  });
  const staticDir = options.staticDir ?? defaultStaticDir();
  let server: RunningServer;
  try {
    server = await startServer({
      service,
      token,
      host: options.host,
      port: options.port ?? DEFAULT_PORT,
      fallbackToFreePort: options.port === undefined,
      staticDir: fs.existsSync(path.join(staticDir, 'index.html')) ? staticDir : undefined,
      logger,
    });
  } catch (error) {
    await service.close();
    throw error;
  }
  writeDaemonFile(options.dataDir, {
    pid: process.pid,
    host: 'headless',
    url: `http://${server.host === '0.0.0.0' ? '127.0.0.1' : server.host}:${server.port}`,
    port: server.port,
    token,
    startedAt: new Date().toISOString(),
    version: APP_VERSION,
  });
  logger.info('headless daemon started', { port: server.port, dataDir: options.dataDir });

  let closing: Promise<void> | undefined;
  return {
    service,
    server,
    token,
    logger,
    close(closeOptions = {}) {
      closing ??= (async () => {
        await server.close();
        await service.close(closeOptions);
        removeDaemonFile(options.dataDir);
        logger.info('headless daemon stopped');
      })();
      return closing;
    },
  };
}
