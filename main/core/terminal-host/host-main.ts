/**
 * The terminal host process's entry (dist/{headless,electron}/terminal-host.js), started detached
 * by the daemon: `node terminal-host.js --data-dir DIR`. It lives until told to shut down, until
 * it has had no agent and no daemon for a while, or until its data folder disappears.
 */
import path from 'node:path';
import { createLogger } from '../logging/logger.js';
import { APP_VERSION } from '../base/version.js';
import { TerminalHostServer } from './host-server.js';

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const dataDir = argValue('--data-dir');
if (!dataDir) {
  process.stderr.write('terminal-host: --data-dir DIR is required\n');
  process.exit(2);
}
// Tests pretend to be an older or newer build with this.
const version = process.env.AGENT_RELAY_HOST_VERSION_OVERRIDE || APP_VERSION;
const logger = createLogger({ dir: path.join(dataDir, 'logs'), console: false }, 'terminal-host');
const host = new TerminalHostServer({
  dataDir,
  version,
  logger,
  ...(process.env.AGENT_RELAY_HOST_IDLE_MS ? { idleExitMs: Number(process.env.AGENT_RELAY_HOST_IDLE_MS) } : {}),
  onStopped: () => setImmediate(() => process.exit(0)),
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void host.stop());
// The terminal that started the daemon may close; the agents stay.
process.on('SIGHUP', () => undefined);
process.on('uncaughtException', (error) => logger.error('terminal host error', { error: error.message, stack: error.stack }));
host.listen().then(
  ({ port }) => {
    if (process.send) process.send({ event: 'listening', port });
  },
  (error: unknown) => {
    logger.error('terminal host could not listen', { error: (error as Error).message });
    process.exit(1);
  },
);
