import type { ConnectionState } from '../bridge';
import { LinkBrokenIcon } from '../components/Icons';

/** Says so when the daemon cannot be reached, or when this page's link no longer opens it. */
export function ConnectionBanner({ state }: { state: ConnectionState }) {
  if (state === 'open') return <div role="status" aria-live="polite" className="visually-hidden" />;
  if (state === 'unauthorized') {
    return (
      <div role="alert" className="banner banner-danger" data-testid="connection-banner">
        <LinkBrokenIcon />
        <span>
          This dashboard&apos;s link expired: open the new link printed by <code>agent-relay-desktop up</code>.
        </span>
      </div>
    );
  }
  return (
    <div role="status" aria-live="polite" className="banner banner-info banner-delayed" data-testid="connection-banner">
      <span className="spinner" aria-hidden="true" />
      <span>{state === 'connecting' ? 'Connecting to Agent Relay…' : 'Reconnecting to Agent Relay…'}</span>
    </div>
  );
}
