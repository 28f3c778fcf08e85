import { useSyncExternalStore } from 'react';
import type { Theme } from '../../../preload/contract';

const query = () => window.matchMedia('(prefers-color-scheme: dark)');
const subscribe = (onChange: () => void) => {
  const media = query();
  media.addEventListener('change', onChange);
  return () => media.removeEventListener('change', onChange);
};

/** The theme actually shown: the setting, or the OS's choice when the setting is "system". */
export function useEffectiveTheme(theme: Theme | undefined): 'light' | 'dark' {
  const osDark = useSyncExternalStore(subscribe, () => query().matches);
  if (theme === 'light' || theme === 'dark') return theme;
  return osDark ? 'dark' : 'light';
}
