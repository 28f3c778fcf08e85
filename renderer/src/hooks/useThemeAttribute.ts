import { useEffect } from 'react';
import type { Theme } from '../../../preload/contract';

/** Forces light or dark with `data-theme` on <html>; without it the CSS follows the OS. */
export function useThemeAttribute(theme: Theme | undefined): void {
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'light' || theme === 'dark') root.dataset.theme = theme;
    else delete root.dataset.theme;
  }, [theme]);
}
