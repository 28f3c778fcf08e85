import type { RelayMessage } from '../../../preload/contract';

type Status = RelayMessage['status'] | RelayMessage['deliveries'][number]['status'];

const LABELS: Readonly<Record<Status, string>> = { queued: 'Queued', delivering: 'Delivering', delivered: 'Delivered', failed: 'Failed' };

/** A message's or one copy's delivery state; a failure's reason is its tooltip. */
export function DeliveryPill({ status, reason }: { status: Status; reason?: string | undefined }) {
  return (
    <span className="status-pill" data-status={status} title={reason} data-testid="delivery-status">
      <span className="status-pill-dot" aria-hidden="true" />
      {LABELS[status]}
      {reason ? <span className="visually-hidden">: {reason}</span> : null}
    </span>
  );
}
