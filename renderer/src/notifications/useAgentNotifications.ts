import { useEffect, useRef } from 'react';
import type { AgentInfo } from '../../../preload/contract';
import { hrefFor } from '../routes';
import { alertsBetween, type AgentAlert } from './agent-alerts';

export const notificationsSupported = (): boolean => typeof Notification !== 'undefined';

/** Asks for permission to show desktop notifications (needs a click or key press to be allowed). */
export function requestNotificationPermission(): void {
  if (notificationsSupported() && Notification.permission === 'default') void Notification.requestPermission();
}

function showDesktopNotification(alert: AgentAlert): void {
  // The tray app notifies from its main process (even with no window open); only the web dashboard does it here.
  if (window.relay) return;
  if (!notificationsSupported() || Notification.permission !== 'granted') return;
  try {
    const notification = new Notification(alert.title, { body: alert.detail ?? '', tag: alert.key });
    notification.onclick = () => {
      window.focus();
      window.location.hash = hrefFor({ page: 'console', agent: alert.name });
      notification.close();
    };
  } catch {
    // Some platforms only allow notifications from a service worker; the in-app toast still shows.
  }
}

/**
 * Raises a toast (and a desktop notification when enabled) when an agent starts waiting for input or
 * exits, except for exits someone asked for (Kill, Restart, Remove, here or from the CLI).
 */
export function useAgentNotifications(
  agents: ReadonlyArray<AgentInfo> | undefined,
  enabled: boolean,
  onAlert: (alert: AgentAlert) => void,
): void {
  const previous = useRef<ReadonlyArray<AgentInfo>>(undefined);
  const seen = useRef(new Set<string>());
  const handler = useRef(onAlert);
  handler.current = onAlert;

  useEffect(() => {
    if (!agents) return;
    const before = previous.current;
    previous.current = agents;
    if (!before) return;
    for (const alert of alertsBetween(before, agents)) {
      if (seen.current.has(alert.key)) continue;
      seen.current.add(alert.key);
      if (alert.kind === 'exited' && agents.find((a) => a.name === alert.name)?.stopRequested) continue;
      handler.current(alert);
      if (enabled) showDesktopNotification(alert);
    }
  }, [agents, enabled]);
}
