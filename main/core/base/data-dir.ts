import os from 'node:os';
import path from 'node:path';

export const APP_NAME = 'Agent Relay';
export const DATA_DIR_ENV = 'AGENT_RELAY_DATA_DIR';

/**
 * Where the app keeps its data: `--data-dir`, else AGENT_RELAY_DATA_DIR, else the per-OS app data
 * folder (the same folder Electron calls userData, so both hosts share it).
 */
export function resolveDataDir(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  if (flag) return path.resolve(flag);
  if (env[DATA_DIR_ENV]) return path.resolve(env[DATA_DIR_ENV]);
  switch (platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', APP_NAME);
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_NAME);
    default:
      return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_NAME);
  }
}
