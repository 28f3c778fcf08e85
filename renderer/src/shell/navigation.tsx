import type { ReactNode } from 'react';
import { AgentsIcon, HomeIcon, MessagesIcon, ProvidersIcon, SettingsIcon } from '../components/Icons';
import type { PageId } from '../routes';

export interface NavItem {
  readonly page: PageId;
  readonly label: string;
  readonly icon: ReactNode;
  /** Pressed with Ctrl (Cmd on macOS) to open the page. */
  readonly digit: string;
}

/** The sidebar's pages, in order; their digits are the keyboard shortcuts. */
export const NAV_ITEMS: ReadonlyArray<NavItem> = [
  { page: 'home', label: 'Home', icon: <HomeIcon />, digit: '1' },
  { page: 'providers', label: 'Providers', icon: <ProvidersIcon />, digit: '2' },
  { page: 'agents', label: 'Agents', icon: <AgentsIcon />, digit: '3' },
  { page: 'messages', label: 'Messages', icon: <MessagesIcon />, digit: '4' },
  { page: 'settings', label: 'Settings', icon: <SettingsIcon />, digit: '5' },
];
