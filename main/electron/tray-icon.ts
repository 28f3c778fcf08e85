import path from 'node:path';

/** The tray icon's states: the plain mark, a ring badge while agents run, a "!" when one needs you. */
export const TRAY_ICON_VARIANTS = ['idle', 'running', 'attention'] as const;
export type TrayIconVariant = (typeof TRAY_ICON_VARIANTS)[number];

/** The name part scripts/icons.mjs gives each variant. */
function variantParts(variant: TrayIconVariant): { template: string; stem: string } {
  switch (variant) {
    case 'idle':
      return { template: 'tray', stem: 'tray' };
    case 'running':
      return { template: 'trayRunning', stem: 'tray-running' };
    case 'attention':
      return { template: 'trayAttention', stem: 'tray-attention' };
    default: {
      const never: never = variant;
      throw new Error(`Unknown tray icon variant ${String(never)}`);
    }
  }
}

/** The tray bitmap each OS wants: a template image on macOS, .ico on Windows, a PNG on Linux. */
export function trayIconFile(assetsDir: string, platform: NodeJS.Platform, variant: TrayIconVariant = 'idle'): string {
  const dir = path.join(assetsDir, 'tray');
  const { template, stem } = variantParts(variant);
  switch (platform) {
    case 'darwin':
      // Electron picks the @2x file on Retina and treats a name ending in Template as a template image.
      return path.join(dir, `${template}Template.png`);
    case 'win32':
      return path.join(dir, `${stem}.ico`);
    default:
      return path.join(dir, `${stem}.png`);
  }
}
