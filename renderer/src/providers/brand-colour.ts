/** Relative luminance of a #rrggbb colour (WCAG), 0 for black to 1 for white. */
function luminance(hex: string): number {
  const value = /^#?([0-9a-f]{6})$/i.exec(hex)?.[1];
  if (!value) return 0.5;
  const channel = (offset: number) => {
    const c = parseInt(value.slice(offset, offset + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
}

/**
 * CSS custom properties for a provider's accent. Near-black brands (GitHub, Ollama) would vanish on
 * the dark theme, so they get a light stand-in there.
 */
export function brandStyle(brandColor: string): Record<string, string> {
  const dark = luminance(brandColor) < 0.04;
  return {
    '--brand': brandColor,
    '--brand-on-dark': dark ? '#c9cdd4' : brandColor,
  };
}
