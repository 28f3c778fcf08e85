import { useEffect } from 'react';
import { BellIcon, CloseIcon } from '../components/Icons';
import type { AgentAlert } from '../notifications/agent-alerts';
import { notificationsSupported, requestNotificationPermission } from '../notifications/useAgentNotifications';
import { hrefFor } from '../routes';

const TOAST_MS = 10_000;

function Toast({
  alert,
  askPermission,
  onConsole,
  onDismiss: dismissKey,
}: {
  alert: AgentAlert;
  askPermission: boolean;
  /** Whether this agent's console is the page on screen (then there is nothing to open). */
  onConsole: boolean;
  onDismiss: (key: string) => void;
}) {
  useEffect(() => {
    const timer = setTimeout(() => dismissKey(alert.key), TOAST_MS);
    return () => clearTimeout(timer);
  }, [alert.key, dismissKey]);
  const onDismiss = () => dismissKey(alert.key);
  return (
    <div className="toast" data-kind={alert.kind} data-testid="toast">
      <BellIcon size={16} className="toast-icon" />
      <div className="toast-text">
        <p className="toast-title">{alert.title}</p>
        {alert.detail ? <p className="toast-detail">{alert.detail}</p> : null}
        <div className="toast-actions">
          {onConsole ? null : (
            <a className="link-button" href={hrefFor({ page: 'console', agent: alert.name })} onClick={onDismiss}>
              Open console
            </a>
          )}
          {askPermission ? (
            <button type="button" className="link-button link-button-muted" onClick={requestNotificationPermission}>
              Also notify me on the desktop
            </button>
          ) : null}
        </div>
      </div>
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={onDismiss}>
        <CloseIcon size={14} />
      </button>
    </div>
  );
}

/** In-app alerts in the corner, newest last; each goes after a few seconds or when dismissed. */
export function Toasts({
  alerts,
  notificationsOn,
  consoleShown,
  onDismiss,
}: {
  alerts: ReadonlyArray<AgentAlert>;
  notificationsOn: boolean;
  /** The agent whose console is on screen, if any. */
  consoleShown?: string;
  onDismiss: (key: string) => void;
}) {
  const askPermission = notificationsOn && notificationsSupported() && Notification.permission === 'default';
  return (
    <div className="toasts" role="status" aria-live="polite">
      {alerts.map((alert) => (
        <Toast key={alert.key} alert={alert} askPermission={askPermission} onConsole={alert.name === consoleShown} onDismiss={onDismiss} />
      ))}
    </div>
  );
}
