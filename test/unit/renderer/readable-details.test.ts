import { describe, expect, it } from 'vitest';
import { TERMINAL_THEMES } from '../../../renderer/src/console/terminal-theme.js';
import { relativeTime } from '../../../renderer/src/sync/sync-view.js';

/** WCAG 2 contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, b2] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b2!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('small details a reader sees', () => {
  it("the console's dimmed text (brightBlack: shell hints, comments) reads at 4.5:1 or more on its background, light and dark", () => {
    for (const scheme of ['light', 'dark'] as const) {
      const theme = TERMINAL_THEMES[scheme];
      expect(contrast(theme.brightBlack!, theme.background!), scheme).toBeGreaterThanOrEqual(4.5);
      expect(contrast(theme.foreground!, theme.background!), scheme).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('"Synced … ago" counts in the right number', () => {
    const now = 1_000_000_000;
    expect(relativeTime(now - 2_000, now)).toBe('just now');
    expect(relativeTime(now - 12_000, now)).toBe('12 seconds ago');
    expect(relativeTime(now - 60_000, now)).toBe('1 minute ago');
    expect(relativeTime(now - 3_600_000, now)).toBe('1 hour ago');
    expect(relativeTime(now - 49 * 3_600_000, now)).toBe('2 days ago');
    expect(relativeTime(now - 73 * 3_600_000, now)).toBe('3 days ago');
  });
});
