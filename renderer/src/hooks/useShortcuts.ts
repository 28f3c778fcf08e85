import { useEffect } from 'react';

export interface Shortcut {
  /** The digit pressed with Ctrl (Cmd on macOS). */
  readonly digit: string;
  readonly run: () => void;
}

export const IS_MAC = /Mac|iPhone|iPad/.test(navigator.platform);

/** How a shortcut is written on this platform: "⌘1" on macOS, "Ctrl+1" elsewhere. */
export const shortcutLabel = (digit: string): string => (IS_MAC ? `⌘${digit}` : `Ctrl+${digit}`);

/** Ctrl/Cmd + digit shortcuts; the physical key is used so that non-QWERTY layouts work too. */
export function useShortcuts(shortcuts: ReadonlyArray<Shortcut>): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      const match = /^(?:Digit|Numpad)(\d)$/.exec(event.code);
      const shortcut = match && shortcuts.find((s) => s.digit === match[1]);
      if (!shortcut) return;
      event.preventDefault();
      shortcut.run();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [shortcuts]);
}
