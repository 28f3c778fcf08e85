import type { RelayMessage } from '../../../preload/contract';

type Status = RelayMessage['status'] | RelayMessage['deliveries'][number]['status'];

const LABELS: Readonly<Record<Status, string>> = {
  queued: 'Queued',
  delivering: 'Delivering',
  delivered: 'Delivered',
  acknowledged: 'Acknowledged',
  unacknowledged: 'Not acknowledged',
  failed: 'Failed',
};

/** What each state means, as the pill's tooltip when there is no specific reason. */
const MEANINGS: Readonly<Record<Status, string>> = {
  queued: 'Waiting until the recipient is ready',
  delivering: 'Being typed into the recipient’s terminal',
  delivered: 'Typed into the recipient’s terminal; waiting for it to show or react',
  acknowledged: 'The recipient showed the message or started working on it',
  unacknowledged: 'Typed in, but the recipient neither showed it nor reacted: it may not have seen it',
  failed: 'Not delivered',
};

/** A message's or one copy's delivery state; a failure's reason is its tooltip. */
export function DeliveryPill({ status, reason }: { status: Status; reason?: string | undefined }) {
  return (
    <span className="status-pill" data-status={status} title={reason ?? MEANINGS[status]} data-testid="delivery-status">
      <span className="status-pill-dot" aria-hidden="true" />
      {LABELS[status]}
      {reason ? <span className="visually-hidden">: {reason}</span> : null}
    </span>
  );
}
