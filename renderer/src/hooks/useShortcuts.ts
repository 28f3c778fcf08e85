import { useEffect } from 'react';

export interface Shortcut {
  /** The digit pressed with Ctrl (Cmd on macOS). */
  readonly digit: string;
  readonly run: () => void;
}

export const IS_MAC = /Mac|iPhone|iPad/.test(navigator.platform);

/** How a shortcut is written on this platform: "⌘1" on macOS, "Ctrl+1" elsewhere. */
export const shortcutLabel = (digit: string): string => (IS_MAC ? `⌘${digit}` : `Ctrl+${digit}`);

/**
 * The digit of a Ctrl/Cmd + digit press, or undefined. The physical key is used so that non-QWERTY
 * layouts work too.
 */
export function shortcutDigit(event: Pick<KeyboardEvent, 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey' | 'code'>): string | undefined {
  if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return undefined;
  return /^(?:Digit|Numpad)(\d)$/.exec(event.code)?.[1];
}

/** The digits bound right now by useShortcuts. */
const boundDigits = new Set<string>();

/**
 * Whether a key press belongs to the app rather than to a terminal that has focus, like VS Code's
 * "commands to skip the shell": the bound Ctrl/Cmd+digit shortcuts open pages everywhere. In a
 * terminal they would only send rare legacy control codes (Ctrl+4 is ^\, which quits most programs)
 * that Ctrl+\ and Esc still send; unbound digits still reach the program.
 */
export const isAppShortcut = (event: KeyboardEvent): boolean => {
  const digit = shortcutDigit(event);
  return digit !== undefined && boundDigits.has(digit);
};

/** Ctrl/Cmd + digit shortcuts, the same on every page and in a console. */
export function useShortcuts(shortcuts: ReadonlyArray<Shortcut>): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const digit = shortcutDigit(event);
      const shortcut = digit && shortcuts.find((s) => s.digit === digit);
      if (!shortcut) return;
      event.preventDefault();
      shortcut.run();
    };
    const digits = shortcuts.map((s) => s.digit);
    for (const digit of digits) boundDigits.add(digit);
    window.addEventListener('keydown', onKeyDown);
    return () => {
      for (const digit of digits) boundDigits.delete(digit);
      window.removeEventListener('keydown', onKeyDown);
    };
  }, [shortcuts]);
}
