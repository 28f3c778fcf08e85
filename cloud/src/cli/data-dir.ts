import os from 'node:os';
import path from 'node:path';

/** --data-dir, else AGENT_RELAY_CLOUD_DATA_DIR, else the platform's per-user data folder. */
export function resolveDataDir(option: string | undefined): string {
  if (option) return path.resolve(option);
  const fromEnv = process.env.AGENT_RELAY_CLOUD_DATA_DIR;
  if (fromEnv) return path.resolve(fromEnv);
  switch (process.platform) {
    case 'darwin':
      return path.join(os.homedir(), 'Library', 'Application Support', 'agent-relay-cloud');
    case 'win32':
      return path.join(process.env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), 'agent-relay-cloud');
    default:
      return path.join(process.env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share'), 'agent-relay-cloud');
  }
}

/** --database-url, else DATABASE_URL; undefined means SQLite in the data dir. */
export function resolveDatabaseUrl(option: string | undefined): string | undefined {
  return option || process.env.DATABASE_URL || undefined;
}
