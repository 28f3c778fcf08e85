import type { Logger } from '../logging/logger.js';
import { DeliveryQueues, readiness, type QueuedCopy, type ReadinessRule } from './delivery-queue.js';
import { MessageIdGenerator } from './message-id.js';
import { recipientKey, type MessageLog, type MessageOrigin, type MessageRecord, type MessageSource, type RelayMessage, type StatusChange } from './message-log.js';
import type { ParsedRelayMessage } from './relay-parser.js';
import { systemClock, targetKey, type Clock, type RelayTarget, type TargetDirectory } from './relay-target.js';
import { DEFAULT_MAX_INJECT_BYTES, formatRelayText, wrapInjection } from './sanitize.js';

/**
 * Routes relay messages to agents and delivers each copy exactly once.
 *
 * Exactly-once rule: a copy is logged `queued`; right before its bytes are written it is logged
 * `delivering` (flushed to disk); after the write it is logged `delivered`. On start, a copy whose
 * last state is `delivering` may or may not have reached the agent, so it is marked `failed` with
 * code `interrupted` and never re-sent (no duplicate, and the failure is visible); copies still
 * `queued` are delivered after the restart. A write that throws is `failed` with `write_failed`.
 *
 * Copies are addressed to an agent (its id, kept over restarts), not a name: one queued for an agent
 * that is removed fails (`recipient_removed`), and a later agent that takes the name never gets it.
 *
 * Bursts: when several copies wait for one ready recipient they go in one injection, one line each
 * (up to `maxBytes`, then the next batch after the settle time), each keeping its id and status.
 *
 * Shells: a recipient whose foreground program is a plain shell at its prompt gets nothing (the text
 * would run as a command) unless the user turned on "accept relay messages" for it; its waiting copies
 * fail with `shell_prompt` and an agent that sent one is told why.
 *
 * Proof of delivery: after a write the copy waits `ackWindowMs` for the recipient to react (leave
 * idle) or show the message id; then it is `acknowledged`, otherwise flagged `unacknowledged`.
 */

export const HUMAN_SENDER = 'human';
export const SYSTEM_SENDER = 'relay';
export const INTERRUPTED_REASON = 'daemon stopped during delivery; not re-sent to avoid a duplicate';

export const DEFAULT_ACK_WINDOW_MS = 5_000;

export type RelayEvent =
  | { type: 'queued' | 'delivered' | 'acknowledged'; message: RelayMessage; recipient: string }
  | { type: 'unacknowledged'; message: RelayMessage; recipient: string; reason: string }
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
  /** Whether to wrap an injection into `target` in bracketed-paste markers (default: its own answer, else true). */
  bracketedPaste?: (target: RelayTarget) => boolean;
  /** How long a written copy waits for the recipient to show it or react (default 5 s). */
  ackWindowMs?: number;
  /** At most this many messages per injection (default: as many as fit in `maxBytes`); 1 = one by one. */
  maxBatch?: number;
}

interface BatchCopy extends QueuedCopy {
  readonly message: RelayMessage;
  readonly text: string;
}

interface Batch {
  readonly target: RelayTarget;
  readonly key: string;
  readonly copies: ReadonlyArray<BatchCopy>;
}

interface AckWait {
  readonly copies: QueuedCopy[];
  cancel: () => void;
}

/** Why nothing may be injected into `target` now, if so. */
export function refusal(target: RelayTarget): string | undefined {
  if (target.acceptsRelay?.() || !target.isShellPrompt?.()) return undefined;
  return `${target.name} is a shell prompt; relay messages go to agents (text typed there would run as a command). Turn on "accept relay messages" for ${target.name} to allow it.`;
}

export class RelayRouter {
  private readonly log: MessageLog;
  private readonly directory: TargetDirectory;
  private readonly clock: Clock;
  private readonly logger: Logger | undefined;
  private readonly rule: ReadinessRule;
  private readonly maxBytes: number;
  private readonly ackWindowMs: number;
  private readonly maxBatch: number;
  private readonly onInjected: (recipient: string, text: string) => void;
  private readonly bracketedPaste: (target: RelayTarget) => boolean;
  private readonly ids: MessageIdGenerator;
  private readonly queues = new DeliveryQueues();
  /** Per recipient key: when the last injection was written. */
  private readonly lastInjection = new Map<string, number>();
  /** Per recipient key: written copies waiting for the recipient to show or react to them, oldest first. */
  private readonly acks = new Map<string, AckWait[]>();
  private readonly threads = new Map<string, string>();
  private readonly listeners = new Set<(event: RelayEvent) => void>();
  private readonly targetSubscriptions = new Map<string, () => void>();
  private unsubscribeDirectory: (() => void) | undefined;
  private cancelTimer: (() => void) | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private pumping = false;
  private pumpAgain = false;
  /** While routing several messages read together: queue them all, then deliver them as one batch. */
  private gathering = false;
  private closed = false;

  constructor(options: RouterOptions) {
    this.log = options.log;
    this.directory = options.directory;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger;
    this.rule = { humanQuietMs: options.humanQuietMs ?? 2_000, injectionSettleMs: options.injectionSettleMs ?? 750 };
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_INJECT_BYTES;
    this.ackWindowMs = options.ackWindowMs ?? DEFAULT_ACK_WINDOW_MS;
    this.maxBatch = Math.max(1, options.maxBatch ?? Number.POSITIVE_INFINITY);
    this.onInjected = options.onInjected ?? (() => undefined);
    this.bracketedPaste = options.bracketedPaste ?? ((target) => target.acceptsBracketedPaste?.() ?? true);
    this.ids = new MessageIdGenerator(() => this.clock.now());
    this.recover();
  }

  /** Starts watching the directory and delivers whatever the log still has queued. */
  start(): void {
    this.unsubscribeDirectory = this.directory.onChange((event) => {
      if (event.type === 'added') this.watch(this.directory.byKey(event.key));
      else this.removed(event.key, event.name);
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
    for (const waits of this.acks.values()) for (const wait of waits) wait.cancel();
    this.acks.clear();
    this.cancelTimer?.();
  }

  on(listener: (event: RelayEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Messages waiting for `recipient` (a name in the directory), oldest first. */
  queueLength(recipient: string): number {
    const target = this.directory.get(recipient);
    return target ? this.queues.size(targetKey(target)) : 0;
  }

  /** A message an agent printed. Unknown recipients are answered in the sender's terminal. */
  routeFromAgent(from: string, parsed: ParsedRelayMessage, source?: MessageSource): SendResult {
    const result = this.route(from, parsed.to, parsed.body, 'agent', parsed.kind, null, source);
    if (!result.ok && result.error.code !== 'empty_message' && this.directory.get(from)) {
      const about = result.message ? ` Your message [${result.message.id}] was not delivered.` : '';
      this.route(SYSTEM_SENDER, from, `${result.error.message}${about}`, 'system', 'text', result.message?.id ?? null);
    }
    return result;
  }

  /** Messages an agent printed together (one chunk of output): delivered together where they can be. */
  routeManyFromAgent(from: string, parsed: ReadonlyArray<ParsedRelayMessage>, sources?: ReadonlyArray<MessageSource>): SendResult[] {
    if (parsed.length <= 1) return parsed.map((message, i) => this.routeFromAgent(from, message, sources?.[i]));
    this.gathering = true;
    let results: SendResult[];
    try {
      results = parsed.map((message, i) => this.routeFromAgent(from, message, sources?.[i]));
    } finally {
      this.gathering = false;
    }
    this.pump();
    return results;
  }

  /** A message from the human (UI or CLI) to one agent or `*`. */
  sendFromHuman(to: string, body: string): SendResult {
    return this.route(HUMAN_SENDER, to, body, 'human', 'text');
  }

  /**
   * Fails every copy still queued for an agent the directory does not hold (e.g. one that did not
   * come back after the daemon restarted): call once the agents that will be there are in it.
   */
  failAbsentRecipients(reason = 'it no longer exists (Agent Relay restarted without it)', keep: ReadonlySet<string> = new Set()): void {
    for (const key of this.queues.keys()) {
      if (this.directory.byKey(key) || keep.has(key)) continue;
      const copies = this.queues.drain(key);
      const name = copies[0]?.recipient ?? key;
      this.failCopies(copies, 'recipient_gone', `${name} was not delivered this message: ${reason}.`);
    }
  }

  /**
   * Fails what is queued for one agent (by its key, i.e. its id) that is not in the directory and will
   * not come back, e.g. one the user chose not to start again after a reboot.
   */
  failQueuedFor(key: string, code: string, reason: (name: string) => string): void {
    if (this.directory.byKey(key)) return;
    const copies = this.queues.drain(key);
    const name = copies[0]?.recipient ?? key;
    this.failCopies(copies, code, reason(name));
  }

  /**
   * Output `agent` printed: a pending copy whose id shows up counts as acknowledged, with every copy
   * written before it. Cheap when nothing waits for an acknowledgement.
   */
  noteOutput(agent: string, text: string): void {
    if (this.acks.size === 0) return;
    const target = this.directory.get(agent);
    if (!target) return;
    const key = targetKey(target);
    const waits = this.acks.get(key);
    if (!waits) return;
    let last = -1;
    waits.forEach((wait, index) => {
      if (wait.copies.some((copy) => text.includes(copy.id))) last = index;
    });
    if (last >= 0) this.acknowledge(key, last + 1);
  }

  private route(
    from: string,
    to: string,
    body: string,
    origin: MessageOrigin,
    kind: MessageRecord['kind'],
    replyThread: string | null = null,
    source?: MessageSource,
  ): SendResult {
    const id = this.ids.next();
    const ts = this.clock.now();
    const base = { id, ts, from, to, body, origin, kind, ...(source ? { source: { ...source } } : {}) };
    const fail = (code: RelayError['code'], message: string): SendResult => {
      const record = this.log.appendMessage({ ...base, recipients: [], thread: replyThread ?? id }, [{ recipient: to, status: 'failed', code, reason: message }]);
      this.emit({ type: 'failed', message: record, recipient: to, code, reason: message });
      return { ok: false, error: { code, message }, message: record };
    };
    if (body.trim() === '') return { ok: false, error: { code: 'empty_message', message: 'The message is empty.' } };

    let targets: RelayTarget[];
    if (to === '*') {
      targets = this.directory.list().filter((target) => target.name.toLowerCase() !== from.toLowerCase());
      if (targets.length === 0) return fail('no_recipients', 'There are no other agents to send to.');
    } else {
      const target = this.directory.get(to);
      if (!target) return fail('unknown_recipient', `No agent named "${to}". ${this.whoExists()}`);
      if (target.name.toLowerCase() === from.toLowerCase()) return fail('self_recipient', `An agent cannot send a relay message to itself (${target.name}).`);
      targets = [target];
    }
    const recipients = targets.map((target) => target.name);
    const thread = replyThread ?? (recipients.length === 1 ? this.threadFor(from, recipients[0] as string, id) : id);

    // A recipient that is ready with nothing ahead of it goes straight to `delivering` (or is refused):
    // one flushed append before the write instead of two.
    const now = this.clock.now();
    const plan = targets.map((target) => {
      const key = targetKey(target);
      const ready = this.queues.size(key) === 0 && readiness(target, now, this.lastInjection.get(key), this.rule).ready;
      const refused = ready ? refusal(target) : undefined;
      if (this.gathering && ready && !refused) return { target, key, ready: false, refused };
      return { target, key, ready, refused };
    });
    const statuses: StatusChange[] = plan.map(({ target, ready, refused }) =>
      refused ? { recipient: target.name, status: 'failed', code: 'shell_prompt', reason: refused } : { recipient: target.name, status: ready ? 'delivering' : 'queued' },
    );
    // Flushed now only if a copy is about to be written; queued ones share the next flush.
    const durable = statuses.some((status) => status.status === 'delivering');
    const record = this.log.appendMessage({ ...base, recipients, recipientIds: plan.map((p) => p.key), thread }, statuses, { durable });
    for (const { target, key, ready, refused } of plan) {
      if (!ready) this.queues.enqueue(key, { id, recipient: target.name });
      if (refused) this.emit({ type: 'failed', message: record, recipient: target.name, code: 'shell_prompt', reason: refused });
      else this.emit({ type: 'queued', message: record, recipient: target.name });
    }
    const immediate = plan.filter((p) => p.ready && !p.refused);
    if (immediate.length > 0) {
      const text = formatRelayText(from, id, body, { maxBytes: this.maxBytes });
      this.write(
        immediate.map(({ target, key }) => ({ target, key, copies: [{ id, recipient: target.name, message: record, text }] })),
        now,
      );
    }
    const refused = plan.find((p) => p.refused);
    if (refused) this.tellSender(record, refused.refused as string);
    if (!this.gathering) this.pump();
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

  /** An agent that sent a message it cannot get is told in its own terminal. */
  private tellSender(message: RelayMessage, reason: string): void {
    if (message.origin !== 'agent') return;
    const sender = this.directory.get(message.from);
    if (!sender) return;
    this.route(SYSTEM_SENDER, sender.name, `${reason} Your message [${message.id}] was not delivered.`, 'system', 'text', message.thread ?? message.id);
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
    for (const { message, recipient } of this.log.withStatus('queued')) this.queues.enqueue(recipientKey(message, recipient), { id: message.id, recipient });
  }

  private watch(target: RelayTarget | undefined): void {
    if (!target) return;
    const key = targetKey(target);
    this.targetSubscriptions.get(key)?.();
    this.targetSubscriptions.set(
      key,
      target.onChange(() => {
        // Leaving idle after an injection is the recipient reacting to it.
        const state = target.state();
        if ((state === 'working' || state === 'waiting_for_input') && this.acks.has(key)) this.acknowledge(key, Number.POSITIVE_INFINITY);
        // Written, then the process ended before it showed or reacted to it: it may never have read it.
        if (state === 'exited' && this.acks.has(key)) this.acknowledge(key, Number.POSITIVE_INFINITY, `${target.name} exited before it showed or reacted to this message; it may not have read it.`);
        this.pump();
      }),
    );
  }

  /** The agent was removed for good: what waited for it fails, visibly. */
  private removed(key: string, name: string): void {
    this.targetSubscriptions.get(key)?.();
    this.targetSubscriptions.delete(key);
    this.lastInjection.delete(key);
    const copies = this.queues.drain(key);
    this.failCopies(copies, 'recipient_removed', `${name} was removed before this message could be delivered.`);
  }

  private failCopies(copies: ReadonlyArray<QueuedCopy>, code: string, reason: string): void {
    if (copies.length === 0) return;
    this.log.appendStatuses(copies.map(({ id, recipient }) => ({ id, change: { recipient, status: 'failed', code, reason } })));
    const told = new Set<string>();
    for (const { id, recipient } of copies) {
      const message = this.log.get(id) as RelayMessage;
      this.emit({ type: 'failed', message, recipient, code, reason });
      if (!told.has(id)) {
        told.add(id);
        this.tellSender(message, reason);
      }
    }
  }

  /** Delivers what waits for every ready recipient, a batch each, batching the log writes. */
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
    const batches: Batch[] = [];
    const refused: Array<{ copies: QueuedCopy[]; reason: string }> = [];
    for (const key of this.queues.keys()) {
      const target = this.directory.byKey(key);
      if (!target) continue;
      const ready = readiness(target, now, this.lastInjection.get(key), this.rule);
      if (!ready.ready) {
        if (ready.retryAt !== undefined) nextRetry = Math.min(nextRetry, ready.retryAt);
        continue;
      }
      const reason = refusal(target);
      if (reason) {
        refused.push({ copies: this.queues.drain(key), reason });
        continue;
      }
      const copies = this.takeBatch(key);
      if (copies.length > 0) batches.push({ target, key, copies });
    }
    for (const { copies, reason } of refused) this.failCopies(copies, 'shell_prompt', reason);
    if (batches.length > 0) this.deliver(batches, now);
    if (nextRetry < Number.POSITIVE_INFINITY) this.scheduleAt(nextRetry);
  }

  /** The copies waiting for `key` that fit in one injection (at least one), in order. */
  private takeBatch(key: string): BatchCopy[] {
    const batch: BatchCopy[] = [];
    let bytes = 0;
    let taken = 0;
    const waiting = this.queues.peek(key, Math.min(this.queues.size(key), this.maxBatch));
    for (const copy of waiting) {
      const message = this.log.get(copy.id);
      if (!message) {
        taken += 1;
        continue;
      }
      const text = formatRelayText(message.from, copy.id, message.body, { maxBytes: this.maxBytes });
      const size = Buffer.byteLength(text, 'utf8') + (batch.length > 0 ? 1 : 0);
      if (batch.length > 0 && bytes + size > this.maxBytes) break;
      batch.push({ ...copy, message, text });
      bytes += size;
      taken += 1;
    }
    this.queues.take(key, taken);
    return batch;
  }

  private deliver(batches: ReadonlyArray<Batch>, now: number): void {
    // Flushed before any byte is written: after a crash these are known to be uncertain.
    this.log.appendStatuses(batches.flatMap(({ copies }) => copies.map(({ id, recipient }) => ({ id, change: { recipient, status: 'delivering' as const } }))));
    this.write(batches, now);
  }

  private write(batches: ReadonlyArray<Batch>, now: number): void {
    const outcomes: Array<{ id: string; change: StatusChange }> = [];
    for (const { target, key, copies } of batches) {
      const text = copies.map((copy) => copy.text).join('\n');
      try {
        this.onInjected(target.name, text);
        target.write(wrapInjection(text, this.bracketedPaste(target)));
        this.lastInjection.set(key, now);
        for (const { id, recipient } of copies) outcomes.push({ id, change: { recipient, status: 'delivered' } });
        this.awaitAck(key, target.name, copies);
      } catch (error) {
        const reason = `writing to ${target.name} failed: ${(error as Error).message}`;
        for (const { id, recipient } of copies) outcomes.push({ id, change: { recipient, status: 'failed', code: 'write_failed', reason } });
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

  private awaitAck(key: string, name: string, copies: ReadonlyArray<QueuedCopy>): void {
    const wait: AckWait = { copies: copies.map(({ id, recipient }) => ({ id, recipient })), cancel: () => undefined };
    wait.cancel = this.clock.setTimer(() => {
      const waits = this.acks.get(key);
      const index = waits?.indexOf(wait) ?? -1;
      if (!waits || index < 0) return;
      waits.splice(index, 1);
      if (waits.length === 0) this.acks.delete(key);
      const reason = `${name} did not show the message or react to it within ${Math.round(this.ackWindowMs / 1000)} s; it may not have seen it.`;
      this.settle(wait.copies, 'unacknowledged', reason);
    }, this.ackWindowMs);
    const waits = this.acks.get(key);
    if (waits) waits.push(wait);
    else this.acks.set(key, [wait]);
  }

  /** The first `count` waits for `key` are settled: acknowledged, or failed with `exitReason`. */
  private acknowledge(key: string, count: number, exitReason?: string): void {
    const waits = this.acks.get(key);
    if (!waits) return;
    const done = waits.splice(0, count);
    if (waits.length === 0) this.acks.delete(key);
    for (const wait of done) wait.cancel();
    const copies = done.flatMap((wait) => wait.copies);
    if (exitReason) this.settle(copies, 'failed', exitReason);
    else this.settle(copies, 'acknowledged');
  }

  private settle(copies: ReadonlyArray<QueuedCopy>, status: 'acknowledged' | 'unacknowledged' | 'failed', reason?: string): void {
    if (this.closed) return;
    // A copy that failed or was settled meanwhile keeps its state.
    const open = copies.filter(({ id, recipient }) => this.log.get(id)?.deliveries.find((d) => d.recipient === recipient)?.status === 'delivered');
    if (open.length === 0) return;
    const code = status === 'failed' ? { code: 'recipient_exited' } : {};
    this.log.appendStatuses(
      open.map(({ id, recipient }) => ({ id, change: { recipient, status, ...code, ...(reason ? { reason } : {}) } })),
      { durable: false },
    );
    for (const { id, recipient } of open) {
      const message = this.log.get(id) as RelayMessage;
      if (status === 'acknowledged') this.emit({ type: 'acknowledged', message, recipient });
      else if (status === 'failed') this.emit({ type: 'failed', message, recipient, code: 'recipient_exited', reason: reason ?? '' });
      else this.emit({ type: 'unacknowledged', message, recipient, reason: reason ?? '' });
    }
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
