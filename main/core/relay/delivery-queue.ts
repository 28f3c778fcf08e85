import type { RelayTarget } from './relay-target.js';

/** One FIFO of message ids per recipient (keyed by lower-case name). */
export class DeliveryQueues {
  private readonly queues = new Map<string, string[]>();

  enqueue(recipient: string, id: string): void {
    const key = recipient.toLowerCase();
    const queue = this.queues.get(key);
    if (queue) queue.push(id);
    else this.queues.set(key, [id]);
  }

  peek(recipient: string): string | undefined {
    return this.queues.get(recipient.toLowerCase())?.[0];
  }

  shift(recipient: string): string | undefined {
    const key = recipient.toLowerCase();
    const queue = this.queues.get(key);
    const id = queue?.shift();
    if (queue && queue.length === 0) this.queues.delete(key);
    return id;
  }

  size(recipient: string): number {
    return this.queues.get(recipient.toLowerCase())?.length ?? 0;
  }

  /** Lower-case names of recipients with something waiting. */
  recipients(): ReadonlyArray<string> {
    return [...this.queues.keys()];
  }
}

export interface ReadinessRule {
  /** No injection while a human typed into the agent within this window (default 2 s). */
  humanQuietMs: number;
  /** After an injection, give status detection this long to see the agent react (default 750 ms). */
  injectionSettleMs: number;
}

export type Readiness = { ready: true } | { ready: false; retryAt?: number };

/**
 * A message is injected only when the agent is `idle` (not `waiting_for_input`: text typed into a permission
 * prompt or a question could answer it), no human typed within `humanQuietMs`, and the previous
 * injection is at least `injectionSettleMs` old. `retryAt` says when a time-based wait ends; state
 * changes arrive through the target's onChange.
 */
export function readiness(target: RelayTarget, now: number, lastInjectionAt: number | undefined, rule: ReadinessRule): Readiness {
  if (target.state() !== 'idle') return { ready: false };
  let retryAt = 0;
  const human = target.lastHumanInputAt();
  if (human !== undefined && human !== null && now - human < rule.humanQuietMs) retryAt = Math.max(retryAt, human + rule.humanQuietMs);
  if (lastInjectionAt !== undefined && now - lastInjectionAt < rule.injectionSettleMs) {
    retryAt = Math.max(retryAt, lastInjectionAt + rule.injectionSettleMs);
  }
  return retryAt > 0 ? { ready: false, retryAt } : { ready: true };
}
