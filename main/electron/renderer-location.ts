import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Where the built parts of the app are, derived from the location of the main bundle. */
export interface AppLocation {
  /** dist/ */
  readonly distDir: string;
  /** dist/renderer/index.html, loaded with loadFile. */
  readonly rendererFile: string;
  /** The file URL of rendererFile: the only page allowed to call the bridge. */
  readonly rendererUrl: string;
  /** dist/preload/index.cjs (CommonJS: sandboxed preloads cannot be modules). */
  readonly preloadFile: string;
  /** assets/ at the app root (the project root in development, app.asar when packaged). */
  readonly assetsDir: string;
}

/** `mainModuleUrl` is import.meta.url of dist/electron/main.js; `appRoot` is app.getAppPath(). */
export function appLocation(mainModuleUrl: string, appRoot: string): AppLocation {
  const distDir = path.resolve(path.dirname(fileURLToPath(mainModuleUrl)), '..');
  const rendererFile = path.join(distDir, 'renderer', 'index.html');
  return {
    distDir,
    rendererFile,
    rendererUrl: pathToFileURL(rendererFile).href,
    preloadFile: path.join(distDir, 'preload', 'index.cjs'),
    assetsDir: path.join(appRoot, 'assets'),
  };
}

/** Whether a URL is the app's own page (any route in its hash), and nothing else. */
export function isAppRendererUrl(url: string, rendererUrl: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'file:') return false;
  parsed.hash = '';
  parsed.search = '';
  return parsed.href === rendererUrl;
}

/** Pages the shell can open directly (from the tray or a second launch). */
export type Route = 'home' | 'providers' | 'agents' | 'cloud-sync' | `provider:${string}`;

/** The hash the renderer's router reads, without the leading '#'. */
export function routeHash(route: Route): string {
  if (route.startsWith('provider:')) {
    // Provider ids are lowercase letters, digits and dashes (the registry's rule): nothing to escape.
    const id = route.slice('provider:'.length);
    return /^[a-z0-9][a-z0-9-]{0,63}$/.test(id) ? `/providers/${id}` : '/providers';
  }
  switch (route) {
    case 'home':
      return '/';
    case 'providers':
      return '/providers';
    case 'agents':
      return '/agents';
    case 'cloud-sync':
      return '/settings/cloud-sync';
    default:
      return '/';
  }
}

/** `--data-dir D` or `--data-dir=D` anywhere in argv (Electron puts its own arguments first). */
export function dataDirFlag(argv: ReadonlyArray<string>): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--data-dir') return argv[i + 1];
    if (arg?.startsWith('--data-dir=')) return arg.slice('--data-dir='.length);
  }
  return undefined;
}

/** `--hidden`: start in the tray without opening the window (start at login, tests). */
export const startsHidden = (argv: ReadonlyArray<string>): boolean => argv.includes('--hidden');

/**
 * Whether a second launch should show the window. With the runAsNode fuse off, a library that
 * forks process.execPath as Node (node-pty on Windows runs conpty_console_list_agent that way)
 * starts the app instead; that launch must not pop the window up.
 */
export const secondLaunchOpensWindow = (argv: ReadonlyArray<string>): boolean =>
  !argv.some((arg) => /conpty_console_list_agent(\.js)?$/.test(arg));
