import type { AppInfo } from '../../../preload/contract';
import type { ConnectionState } from '../bridge';
import { assertNever } from '../routes';

const connectionText = (state: ConnectionState): string => {
  switch (state) {
    case 'open':
      return 'Connected';
    case 'connecting':
      return 'Connecting…';
    case 'reconnecting':
      return 'Reconnecting…';
    case 'unauthorized':
      return 'Link expired';
    default:
      return assertNever(state);
  }
};

/** The footer: connection state on the left; app name, version and host on the right. */
export function StatusBar({ info, connection }: { info: AppInfo | undefined; connection: ConnectionState }) {
  return (
    <footer className="status-bar">
      <span className="status-connection" data-state={connection}>
        <span className="status-dot" aria-hidden="true" />
        {connectionText(connection)}
      </span>
      {info ? (
        <span className="status-app" data-testid="app-identity">
          <span>{info.name}</span>
          <span className="status-sep" aria-hidden="true">·</span>
          <span>
            v<span data-testid="app-version">{info.version}</span>
          </span>
          <span className="status-sep" aria-hidden="true">·</span>
          <span className="host-badge" data-host={info.host} title={`Host: ${info.host} (${info.platform})`}>
            <span className="visually-hidden">Host: </span>
            <span data-testid="app-host">{info.host}</span>
          </span>
        </span>
      ) : (
        <span className="status-app status-placeholder">Agent Relay</span>
      )}
    </footer>
  );
}
