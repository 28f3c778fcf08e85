/** Whether this machine can show a browser at all (no display over SSH or on a build machine). */
export function hasDisplay(env: NodeJS.ProcessEnv = process.env, platform = process.platform): boolean {
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/** Opens a URL in the user's browser (`open`: macOS open, Windows Start, xdg-open); failures are reported, never fatal. */
export async function openBrowser(url: string): Promise<boolean> {
  try {
    // Loaded on first use: most commands never open a browser and should not pay for it at start.
    const { default: open } = await import('open');
    await open(url);
    return true;
  } catch {
    return false;
  }
}
