import type { Logger } from '../logging/logger.js';
import { DeliveryQueues, readiness, type ReadinessRule } from './delivery-queue.js';
import { MessageIdGenerator } from './message-id.js';
import type { MessageLog, MessageOrigin, MessageRecord, RelayMessage, StatusChange } from './message-log.js';
import type { ParsedRelayMessage } from './relay-parser.js';
import { systemClock, type Clock, type RelayTarget, type TargetDirectory } from './relay-target.js';
import { DEFAULT_MAX_INJECT_BYTES, formatInjection, formatRelayText } from './sanitize.js';

/**
 * Routes relay messages to agents and delivers each copy exactly once.
 *
 * Exactly-once rule: a copy is logged `queued`; right before its bytes are written it is logged
 * `delivering` (flushed to disk); after the write it is logged `delivered`. On start, a copy whose
 * last state is `delivering` may or may not have reached the agent, so it is marked `failed` with
 * code `interrupted` and never re-sent (no duplicate, and the failure is visible); copies still
 * `queued` are delivered after the restart. A write that throws is `failed` with `write_failed`.
 */

export const HUMAN_SENDER = 'human';
export const SYSTEM_SENDER = 'relay';
export const INTERRUPTED_REASON = 'daemon stopped during delivery; not re-sent to avoid a duplicate';

export type RelayEvent =
  | { type: 'queued'; message: RelayMessage; recipient: string }
  | { type: 'delivered'; message: RelayMessage; recipient: string }
  | { type: 'failed'; message: RelayMessage; recipient: string; code: string; reason: string };

export interface RelayError {
  readonly code: 'unknown_recipient' | 'no_recipients' | 'self_recipient' | 'empty_message';
  readonly message: string;
}

export type SendResult = { ok: true; message: RelayMessage } | { ok: false; error: RelayError; message?: RelayMessage };

export interface RouterOptions extends Partial<ReadinessRule> {
  log: MessageLog;
  directory: TargetDirectory;
  clock?: Clock;
  logger?: Logger;
  maxBytes?: number;
  /** Told the plain text about to be injected into `recipient`, so its parser can ignore the echo. */
  onInjected?: (recipient: string, text: string) => void;
}

export class RelayRouter {
  private readonly log: MessageLog;
  private readonly directory: TargetDirectory;
  private readonly clock: Clock;
  private readonly logger: Logger | undefined;
  private readonly rule: ReadinessRule;
  private readonly maxBytes: number;
  private readonly onInjected: (recipient: string, text: string) => void;
  private readonly ids: MessageIdGenerator;
  private readonly queues = new DeliveryQueues();
  private readonly lastInjection = new Map<string, number>();
  private readonly threads = new Map<string, string>();
  private readonly listeners = new Set<(event: RelayEvent) => void>();
  private readonly targetSubscriptions = new Map<string, () => void>();
  private unsubscribeDirectory: (() => void) | undefined;
  private cancelTimer: (() => void) | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private pumping = false;
  private pumpAgain = false;
  private closed = false;

  constructor(options: RouterOptions) {
    this.log = options.log;
    this.directory = options.directory;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger;
    this.rule = { humanQuietMs: options.humanQuietMs ?? 2_000, injectionSettleMs: options.injectionSettleMs ?? 750 };
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_INJECT_BYTES;
    this.onInjected = options.onInjected ?? (() => undefined);
    this.ids = new MessageIdGenerator(() => this.clock.now());
    this.recover();
  }

  /** Starts watching the directory and delivers whatever the log still has queued. */
  start(): void {
    this.unsubscribeDirectory = this.directory.onChange((event) => {
      if (event.type === 'added') this.watch(this.directory.get(event.name));
      else this.unwatch(event.name);
      this.pump();
    });
    for (const target of this.directory.list()) this.watch(target);
    this.pump();
  }

  close(): void {
    this.closed = true;
    this.unsubscribeDirectory?.();
    for (const unsubscribe of this.targetSubscriptions.values()) unsubscribe();
    this.targetSubscriptions.clear();
    this.cancelTimer?.();
  }

  on(listener: (event: RelayEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Messages waiting for `recipient`, oldest first. */
  queueLength(recipient: string): number {
    return this.queues.size(recipient);
  }

  /** A message an agent printed. Unknown recipients are answered in the sender's terminal. */
  routeFromAgent(from: string, parsed: ParsedRelayMessage): SendResult {
    const result = this.route(from, parsed.to, parsed.body, 'agent', parsed.kind);
    if (!result.ok && result.error.code !== 'empty_message' && this.directory.get(from)) {
      const about = result.message ? ` Your message [${result.message.id}] was not delivered.` : '';
      this.route(SYSTEM_SENDER, from, `${result.error.message}${about}`, 'system', 'text', result.message?.id ?? null);
    }
    return result;
  }

  /** A message from the human (UI or CLI) to one agent or `*`. */
  sendFromHuman(to: string, body: string): SendResult {
    return this.route(HUMAN_SENDER, to, body, 'human', 'text');
  }

  private route(from: string, to: string, body: string, origin: MessageOrigin, kind: MessageRecord['kind'], replyThread: string | null = null): SendResult {
    const id = this.ids.next();
    const ts = this.clock.now();
    const base = { id, ts, from, to, body, origin, kind };
    const fail = (code: RelayError['code'], message: string): SendResult => {
      const record = this.log.appendMessage({ ...base, recipients: [], thread: replyThread ?? id }, [{ recipient: to, status: 'failed', code, reason: message }]);
      this.emit({ type: 'failed', message: record, recipient: to, code, reason: message });
      return { ok: false, error: { code, message }, message: record };
    };
    if (body.trim() === '') return { ok: false, error: { code: 'empty_message', message: 'The message is empty.' } };

    let recipients: string[];
    if (to === '*') {
      recipients = this.directory.names().filter((name) => name.toLowerCase() !== from.toLowerCase());
      if (recipients.length === 0) return fail('no_recipients', 'There are no other agents to send to.');
    } else {
      const target = this.directory.get(to);
      if (!target) return fail('unknown_recipient', `No agent named "${to}". ${this.whoExists()}`);
      if (target.name.toLowerCase() === from.toLowerCase()) return fail('self_recipient', `An agent cannot send a relay message to itself (${target.name}).`);
      recipients = [target.name];
    }

    const thread = replyThread ?? (recipients.length === 1 ? this.threadFor(from, recipients[0] as string, id) : id);
    // A recipient that is ready with nothing ahead of it goes straight to `delivering`: one flushed
    // append before the write instead of two.
    const now = this.clock.now();
    const immediate = new Set(
      recipients.filter((recipient) => {
        const target = this.directory.get(recipient);
        return this.queues.size(recipient) === 0 && target !== undefined && readiness(target, now, this.lastInjection.get(recipient.toLowerCase()), this.rule).ready;
      }),
    );
    const statuses: StatusChange[] = recipients.map((recipient) => ({ recipient, status: immediate.has(recipient) ? 'delivering' : 'queued' }));
    const record = this.log.appendMessage({ ...base, recipients, thread }, statuses);
    for (const recipient of recipients) {
      if (!immediate.has(recipient)) this.queues.enqueue(recipient, id);
      this.emit({ type: 'queued', message: record, recipient });
    }
    if (immediate.size > 0) {
      const batch = [...immediate].map((recipient) => ({ target: this.directory.get(recipient) as RelayTarget, id, message: record }));
      this.write(batch, now);
    }
    this.pump();
    return { ok: true, message: this.log.get(id) ?? record };
  }

  private whoExists(): string {
    const names = this.directory.names();
    return names.length ? `Agents: ${names.join(', ')}.` : 'No agents exist yet.';
  }

  /** Thread = id of the first message between this pair of parties. */
  private threadFor(a: string, b: string, id: string): string {
    const key = pairKey(a, b);
    const existing = this.threads.get(key);
    if (existing) return existing;
    this.threads.set(key, id);
    return id;
  }

  private recover(): void {
    for (const message of this.log.all()) {
      if (message.recipients.length === 1 && message.origin !== 'system' && message.thread) {
        const key = pairKey(message.from, message.recipients[0] as string);
        if (!this.threads.has(key)) this.threads.set(key, message.thread);
      }
      this.ids.observe(message.id);
    }
    const interrupted = this.log.withStatus('delivering');
    if (interrupted.length > 0) {
      this.log.appendStatuses(
        interrupted.map(({ message, recipient }) => ({ id: message.id, change: { recipient, status: 'failed', code: 'interrupted', reason: INTERRUPTED_REASON } })),
      );
      this.logger?.warn('relay: messages interrupted mid-delivery by a daemon stop were marked failed', { count: interrupted.length });
    }
    for (const { message, recipient } of this.log.withStatus('queued')) this.queues.enqueue(recipient, message.id);
  }

  private watch(target: RelayTarget | undefined): void {
    if (!target) return;
    const key = target.name.toLowerCase();
    this.targetSubscriptions.get(key)?.();
    this.targetSubscriptions.set(key, target.onChange(() => this.pump()));
  }

  private unwatch(name: string): void {
    const key = name.toLowerCase();
    this.targetSubscriptions.get(key)?.();
    this.targetSubscriptions.delete(key);
  }

  /** Delivers the head of every queue whose recipient is ready, batching the log writes. */
  pump(): void {
    if (this.closed) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        this.pumpOnce();
      } while (this.pumpAgain && !this.closed);
    } finally {
      this.pumping = false;
    }
  }

  private pumpOnce(): void {
    const now = this.clock.now();
    let nextRetry = Number.POSITIVE_INFINITY;
    const batch: Array<{ target: RelayTarget; id: string; message: RelayMessage }> = [];
    for (const key of this.queues.recipients()) {
      const target = this.directory.get(key);
      if (!target) continue;
      const ready = readiness(target, now, this.lastInjection.get(key), this.rule);
      if (!ready.ready) {
        if (ready.retryAt !== undefined) nextRetry = Math.min(nextRetry, ready.retryAt);
        continue;
      }
      const id = this.queues.shift(key) as string;
      const message = this.log.get(id);
      if (message) batch.push({ target, id, message });
    }
    if (batch.length > 0) this.deliver(batch, now);
    if (nextRetry < Number.POSITIVE_INFINITY) this.scheduleAt(nextRetry);
  }

  private deliver(batch: ReadonlyArray<{ target: RelayTarget; id: string; message: RelayMessage }>, now: number): void {
    // Flushed before any byte is written: after a crash these are known to be uncertain.
    this.log.appendStatuses(batch.map(({ target, id }) => ({ id, change: { recipient: target.name, status: 'delivering' } })));
    this.write(batch, now);
  }

  private write(batch: ReadonlyArray<{ target: RelayTarget; id: string; message: RelayMessage }>, now: number): void {
    const outcomes: Array<{ id: string; change: StatusChange }> = [];
    for (const { target, id, message } of batch) {
      const options = { maxBytes: this.maxBytes, bracketedPaste: target.acceptsBracketedPaste?.() ?? true };
      try {
        this.onInjected(target.name, formatRelayText(message.from, id, message.body, options));
        target.write(formatInjection(message.from, id, message.body, options));
        this.lastInjection.set(target.name.toLowerCase(), now);
        outcomes.push({ id, change: { recipient: target.name, status: 'delivered' } });
      } catch (error) {
        const reason = `writing to ${target.name} failed: ${(error as Error).message}`;
        outcomes.push({ id, change: { recipient: target.name, status: 'failed', code: 'write_failed', reason } });
      }
    }
    // Not flushed at once: if `delivered` is lost in a crash the copy reads `delivering` and is
    // reported failed, never re-sent.
    this.log.appendStatuses(outcomes, { durable: false });
    for (const { id, change } of outcomes) {
      const message = this.log.get(id) as RelayMessage;
      if (change.status === 'delivered') this.emit({ type: 'delivered', message, recipient: change.recipient });
      else this.emit({ type: 'failed', message, recipient: change.recipient, code: change.code ?? 'failed', reason: change.reason ?? '' });
    }
    // The settle wait ends on a timer even if the agent never reports a change.
    this.scheduleAt(now + this.rule.injectionSettleMs);
  }

  private scheduleAt(at: number): void {
    if (this.closed || at >= this.timerAt) return;
    this.cancelTimer?.();
    this.timerAt = at;
    this.cancelTimer = this.clock.setTimer(() => {
      this.timerAt = Number.POSITIVE_INFINITY;
      this.cancelTimer = undefined;
      this.pump();
    }, Math.max(0, at - this.clock.now()));
  }

  private emit(event: RelayEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger?.error('relay: an event listener threw', { error });
      }
    }
  }
}

function pairKey(a: string, b: string): string {
  return [a.toLowerCase(), b.toLowerCase()].sort().join('\u0000');
}
