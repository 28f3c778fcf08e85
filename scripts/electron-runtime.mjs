// Whether the Electron app can run here: an Electron binary on disk and a display to show it on.
// Shared by scripts/start.mjs and the Playwright _electron tests. It only looks at files and the
// environment: never require('electron'), which would start a download.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * @param {{ root: string, env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform }} options
 * @returns {{ available: true, executable: string } | { available: false, reason: string }}
 */
export function findElectron({ root, env = process.env, platform = process.platform }) {
  const packageDir = path.join(root, 'node_modules', 'electron');
  if (!existsSync(path.join(packageDir, 'package.json'))) {
    return { available: false, reason: 'Electron is not installed (node_modules/electron is missing; run npm install)' };
  }
  const pathFile = path.join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const executable = path.join(override, relative || (platform === 'win32' ? 'electron.exe' : 'electron'));
    return existsSync(executable)
      ? { available: true, executable }
      : { available: false, reason: `Electron runtime not found (ELECTRON_OVERRIDE_DIST_PATH has no ${path.basename(executable)})` };
  }
  const fetchHint = 'fetch it with `npx install-electron`';
  const distDir = path.join(packageDir, 'dist');
  if (!existsSync(distDir)) {
    return { available: false, reason: `Electron runtime not installed (node_modules/electron/dist is missing; ${fetchHint})` };
  }
  if (!relative) {
    return { available: false, reason: `Electron runtime not installed (node_modules/electron/path.txt is missing; ${fetchHint})` };
  }
  const executable = path.join(distDir, relative);
  if (!existsSync(executable)) {
    return { available: false, reason: `Electron runtime not installed (node_modules/electron/dist has no ${relative}; ${fetchHint})` };
  }
  return { available: true, executable };
}

/**
 * @param {NodeJS.ProcessEnv} [env]
 * @param {NodeJS.Platform} [platform]
 * @returns {string | undefined} why there is no display, or undefined when there is one
 */
export function displayProblem(env = process.env, platform = process.platform) {
  if (platform === 'darwin' || platform === 'win32') return undefined;
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return undefined;
  return 'No display found (neither DISPLAY nor WAYLAND_DISPLAY is set)';
}

/**
 * What `npm start` does here: run Electron, or say in one reason why not and run headless.
 * @param {{ root: string, env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform }} options
 * @returns {{ mode: 'electron', executable: string } | { mode: 'headless', reason: string }}
 */
export function startPlan(options) {
  const electron = findElectron(options);
  if (!electron.available) return { mode: 'headless', reason: electron.reason };
  const noDisplay = displayProblem(options.env, options.platform);
  if (noDisplay) return { mode: 'headless', reason: noDisplay };
  return { mode: 'electron', executable: electron.executable };
}
