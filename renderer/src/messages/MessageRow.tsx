import { useId, useState } from 'react';
import type { RelayMessage } from '../../../preload/contract';
import { ArrowRightIcon, ChevronDownIcon } from '../components/Icons';
import { DeliveryPill } from './DeliveryPill';
import { isLongBody, recipientsText, senderText, timeText } from './message-text';

/** One relay message: when, who to whom, what, and how its delivery went (per recipient on demand). */
export function MessageRow({ message, onThread, activeThread }: { message: RelayMessage; onThread: (thread: string) => void; activeThread: string | undefined }) {
  const [expanded, setExpanded] = useState(false);
  const [showDeliveries, setShowDeliveries] = useState(false);
  const deliveriesId = useId();
  const long = isLongBody(message.body);
  const failure = message.deliveries.find((d) => d.status === 'failed') ?? message.deliveries.find((d) => d.status === 'unacknowledged');
  const problem = failure && (message.status === 'failed' || message.status === 'unacknowledged') ? failure : undefined;
  return (
    <li className="message" data-testid="message" data-id={message.id} data-origin={message.origin}>
      <div className="message-head">
        <span className="message-route">
          <span className="message-from" data-origin={message.origin}>
            {senderText(message)}
          </span>
          <ArrowRightIcon size={13} className="message-arrow" aria-label="to" />
          <span className="message-to">{recipientsText(message)}</span>
        </span>
        {message.thread && message.thread !== activeThread ? (
          <button type="button" className="thread-chip" title="Show only this thread" onClick={() => onThread(message.thread!)}>
            # {message.thread.slice(-6)}
          </button>
        ) : null}
        <span className="message-meta">
          <time dateTime={new Date(message.ts).toISOString()} title={new Date(message.ts).toLocaleString()}>
            {timeText(message.ts)}
          </time>
          <DeliveryPill status={message.status} reason={failure?.reason} />
        </span>
      </div>
      <div className={`message-body${long && !expanded ? ' message-body-collapsed' : ''}`} data-testid="message-body">
        {message.body}
      </div>
      {problem?.reason ? (
        <p className="message-problem" data-status={problem.status} data-testid="message-problem">
          {message.deliveries.length > 1 ? `${problem.recipient}: ` : ''}
          {problem.reason}
        </p>
      ) : null}
      <div className="message-foot">
        {long ? (
          <button type="button" className="link-button" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
            {expanded ? 'Show less' : 'Show more'}
          </button>
        ) : null}
        {message.deliveries.length ? (
          <button
            type="button"
            className="link-button link-button-muted"
            aria-expanded={showDeliveries}
            aria-controls={deliveriesId}
            onClick={() => setShowDeliveries(!showDeliveries)}
          >
            {message.deliveries.length === 1 ? 'Delivery' : `${message.deliveries.length} deliveries`}
            <ChevronDownIcon size={13} className={showDeliveries ? 'chevron-open' : undefined} />
          </button>
        ) : null}
        <span className="message-id" title="Message id">
          {message.id}
        </span>
      </div>
      {showDeliveries ? (
        <ul className="delivery-list" id={deliveriesId}>
          {message.deliveries.map((d) => (
            <li key={d.recipient} className="delivery">
              <span className="delivery-recipient">{d.recipient}</span>
              <DeliveryPill status={d.status} reason={d.reason} />
              <span className="delivery-time">{timeText(d.at)}</span>
              {d.reason ? <span className="delivery-reason">{d.reason}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}
