import type { RelayMessage } from '../../../preload/contract';

/** Who a message came from, as people read it ("you" for the human, "Relay" for the daemon). */
export function senderText(message: Pick<RelayMessage, 'from' | 'origin'>): string {
  if (message.origin === 'human') return 'You';
  if (message.origin === 'system') return 'Relay';
  return message.from;
}

/** Who it went to: the names it reached, or "all agents" for `*`. */
export function recipientsText(message: Pick<RelayMessage, 'to' | 'recipients'>): string {
  if (message.to === '*') return message.recipients.length ? `All agents (${message.recipients.join(', ')})` : 'All agents';
  return message.recipients.length ? message.recipients.join(', ') : message.to;
}

/** "14:03:27" today, "Mar 3, 14:03" before. */
export function timeText(ts: number, now = Date.now()): string {
  const date = new Date(ts);
  const sameDay = new Date(now).toDateString() === date.toDateString();
  return sameDay
    ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })
    : date.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

const COLLAPSE_LINES = 6;
const COLLAPSE_CHARS = 480;

/** Whether a body is long enough to show collapsed at first. */
export const isLongBody = (body: string): boolean => body.length > COLLAPSE_CHARS || body.split('\n').length > COLLAPSE_LINES;
