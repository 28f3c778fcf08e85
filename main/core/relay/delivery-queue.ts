import type { RelayTarget } from './relay-target.js';

/** A copy waiting for delivery: the message and the recipient name its status is logged under. */
export interface QueuedCopy {
  readonly id: string;
  readonly recipient: string;
}

/** One FIFO of copies per recipient, keyed by the recipient's key (its id, see `targetKey`). */
export class DeliveryQueues {
  private readonly queues = new Map<string, QueuedCopy[]>();

  enqueue(key: string, copy: QueuedCopy): void {
    const queue = this.queues.get(key);
    if (queue) queue.push(copy);
    else this.queues.set(key, [copy]);
  }

  /** The first `count` copies waiting for `key`, oldest first, without taking them. */
  peek(key: string, count = 1): ReadonlyArray<QueuedCopy> {
    return this.queues.get(key)?.slice(0, count) ?? [];
  }

  /** Takes the first `count` copies. */
  take(key: string, count: number): QueuedCopy[] {
    const queue = this.queues.get(key);
    if (!queue) return [];
    const taken = queue.splice(0, count);
    if (queue.length === 0) this.queues.delete(key);
    return taken;
  }

  /** Takes every copy waiting for `key`. */
  drain(key: string): QueuedCopy[] {
    const queue = this.queues.get(key) ?? [];
    this.queues.delete(key);
    return queue;
  }

  size(key: string): number {
    return this.queues.get(key)?.length ?? 0;
  }

  /** Keys of recipients with something waiting. */
  keys(): ReadonlyArray<string> {
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
