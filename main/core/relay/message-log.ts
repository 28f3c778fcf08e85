import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { withFileLockSync } from '../base/file-lock.js';
import type { Logger } from '../logging/logger.js';

/**
 * The append-only message log: one JSON object per line in <dataDir>/relay/messages.jsonl, each
 * append flushed to disk before it returns. On open the log is replayed to rebuild every message and
 * its per-recipient delivery state. A torn last line (crash mid-append) is moved to messages.jsonl.torn
 * and cut off; a corrupt line is skipped with a warning and left in place. Nothing is ever wiped.
 */

export const DeliveryStatus = z.enum(['queued', 'delivering', 'delivered', 'failed']);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

export const MessageOrigin = z.enum(['agent', 'human', 'system']);
export type MessageOrigin = z.infer<typeof MessageOrigin>;

const MessageRecord = z.object({
  t: z.literal('msg'),
  id: z.string().min(1),
  ts: z.number(),
  from: z.string(),
  to: z.string(),
  recipients: z.array(z.string()),
  body: z.string(),
  thread: z.string().nullable(),
  origin: MessageOrigin,
  kind: z.enum(['line', 'block', 'text']),
});
export type MessageRecord = z.infer<typeof MessageRecord>;

const StatusRecord = z.object({
  t: z.literal('status'),
  id: z.string().min(1),
  recipient: z.string(),
  status: DeliveryStatus,
  ts: z.number(),
  code: z.string().optional(),
  reason: z.string().optional(),
});
export type StatusRecord = z.infer<typeof StatusRecord>;

const LogRecord = z.discriminatedUnion('t', [MessageRecord, StatusRecord]);

export interface Delivery {
  readonly recipient: string;
  readonly status: DeliveryStatus;
  readonly at: number;
  readonly code?: string;
  readonly reason?: string;
}

/** A message as the UI and CLI see it: the record plus where each copy stands. */
export interface RelayMessage {
  readonly id: string;
  readonly ts: number;
  readonly from: string;
  readonly to: string;
  readonly recipients: ReadonlyArray<string>;
  readonly body: string;
  readonly thread: string | null;
  readonly origin: MessageOrigin;
  readonly kind: MessageRecord['kind'];
  readonly deliveries: ReadonlyArray<Delivery>;
  /** delivered when every copy is; queued while any is pending; failed otherwise. */
  readonly status: 'queued' | 'delivered' | 'failed';
}

export interface HistoryFilter {
  /** Sender or recipient, case-insensitive. */
  agent?: string;
  thread?: string;
  /** Page cursor: only messages older than this id. */
  before?: string;
  limit?: number;
}

export interface HistoryPage {
  readonly items: ReadonlyArray<RelayMessage>;
  /** Pass as `before` for the next page; absent on the last page. */
  readonly nextCursor?: string;
}

export interface StatusChange {
  recipient: string;
  status: DeliveryStatus;
  code?: string;
  reason?: string;
}

export interface MessageLogOptions {
  dataDir: string;
  logger?: Logger;
  now?: () => number;
  /** Off only in benchmarks that want to measure without the disk. */
  fsync?: boolean;
}

interface Entry {
  record: MessageRecord;
  deliveries: Map<string, Delivery>;
}

export const MESSAGE_LOG_FILE = path.join('relay', 'messages.jsonl');

export class MessageLog {
  readonly file: string;
  /** Warnings from the last replay (torn or corrupt lines), also sent to the logger. */
  readonly warnings: string[] = [];
  private readonly entries = new Map<string, Entry>();
  private readonly order: string[] = [];
  private fd: number;
  private dirty = false;
  private readonly now: () => number;
  private readonly fsync: boolean;

  private constructor(options: MessageLogOptions) {
    this.file = path.join(options.dataDir, MESSAGE_LOG_FILE);
    this.now = options.now ?? Date.now;
    this.fsync = options.fsync ?? true;
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    this.replay(options.logger);
    this.fd = fs.openSync(this.file, 'a', 0o600);
  }

  static open(options: MessageLogOptions): MessageLog {
    return new MessageLog(options);
  }

  close(): void {
    if (this.fd < 0) return;
    if (this.dirty && this.fsync) fs.fsyncSync(this.fd);
    this.dirty = false;
    fs.closeSync(this.fd);
    this.fd = -1;
  }

  /** Appends a new message with the initial status of each copy, in one flushed write. */
  appendMessage(record: Omit<MessageRecord, 't'>, statuses: ReadonlyArray<StatusChange>): RelayMessage {
    if (this.entries.has(record.id)) throw new Error(`message ${record.id} is already in the log`);
    const msg: MessageRecord = { t: 'msg', ...record };
    const ts = this.now();
    const lines = [msg, ...statuses.map((s) => this.statusRecord(record.id, s, ts))];
    this.write(lines);
    for (const line of lines) this.apply(line);
    return this.view(record.id) as RelayMessage;
  }

  /** Appends one status transition of one copy, flushed before it returns. */
  appendStatus(id: string, change: StatusChange): RelayMessage {
    if (!this.entries.has(id)) throw new Error(`message ${id} is not in the log`);
    const record = this.statusRecord(id, change, this.now());
    this.write([record]);
    this.apply(record);
    return this.view(id) as RelayMessage;
  }

  /**
   * Appends several status transitions in one write. `durable: false` defers the fsync to the next
   * tick; only for records whose loss is safe (a lost `delivered` leaves `delivering`, read as failed).
   */
  appendStatuses(changes: ReadonlyArray<{ id: string; change: StatusChange }>, options: { durable?: boolean } = {}): void {
    if (changes.length === 0) return;
    for (const { id } of changes) if (!this.entries.has(id)) throw new Error(`message ${id} is not in the log`);
    const ts = this.now();
    const records = changes.map(({ id, change }) => this.statusRecord(id, change, ts));
    this.write(records, options.durable ?? true);
    for (const record of records) this.apply(record);
  }

  get(id: string): RelayMessage | undefined {
    return this.view(id);
  }

  /** Newest first, filtered, paged. */
  list(filter: HistoryFilter = {}): HistoryPage {
    const limit = Math.max(1, Math.min(filter.limit ?? 50, 500));
    const agent = filter.agent?.toLowerCase();
    let index = this.order.length - 1;
    if (filter.before) {
      index = upperBound(this.order, filter.before) - 1;
      while (index >= 0 && this.order[index] === filter.before) index--;
    }
    const items: RelayMessage[] = [];
    for (; index >= 0 && items.length < limit; index--) {
      const entry = this.entries.get(this.order[index] as string) as Entry;
      const rec = entry.record;
      if (filter.thread && rec.thread !== filter.thread && rec.id !== filter.thread) continue;
      if (agent && !involves(rec, agent)) continue;
      items.push(this.view(rec.id) as RelayMessage);
    }
    const last = items[items.length - 1];
    const more = last !== undefined && index >= 0;
    return more ? { items, nextCursor: last.id } : { items };
  }

  /** Every copy whose latest status is `status`, in log order (the order they must be delivered). */
  withStatus(status: DeliveryStatus): Array<{ message: RelayMessage; recipient: string }> {
    const result: Array<{ message: RelayMessage; recipient: string }> = [];
    for (const id of this.order) {
      const entry = this.entries.get(id) as Entry;
      for (const delivery of entry.deliveries.values()) {
        if (delivery.status === status) result.push({ message: this.view(id) as RelayMessage, recipient: delivery.recipient });
      }
    }
    return result;
  }

  /** All messages, oldest first (for rebuilding thread state). */
  all(): RelayMessage[] {
    return this.order.map((id) => this.view(id) as RelayMessage);
  }

  lastId(): string | undefined {
    return this.order[this.order.length - 1];
  }

  private statusRecord(id: string, change: StatusChange, ts: number): StatusRecord {
    const record: StatusRecord = { t: 'status', id, recipient: change.recipient, status: change.status, ts };
    if (change.code !== undefined) record.code = change.code;
    if (change.reason !== undefined) record.reason = change.reason;
    return record;
  }

  private write(records: ReadonlyArray<MessageRecord | StatusRecord>, durable = true): void {
    const data = records.map((r) => `${JSON.stringify(r)}\n`).join('');
    // One writer at a time across processes (base/file-lock): appends never interleave.
    withFileLockSync(this.file, () => fs.writeSync(this.fd, data));
    if (!this.fsync) return;
    if (durable) {
      fs.fsyncSync(this.fd);
      this.dirty = false;
    } else if (!this.dirty) {
      this.dirty = true;
      setImmediate(() => {
        if (!this.dirty || this.fd < 0) return;
        this.dirty = false;
        fs.fsyncSync(this.fd);
      });
    }
  }

  private apply(record: MessageRecord | StatusRecord): boolean {
    if (record.t === 'msg') {
      if (this.entries.has(record.id)) return false;
      this.entries.set(record.id, { record, deliveries: new Map() });
      // Ids are time-ordered; keep the order array sorted even if a clock stepped back.
      if (this.order.length === 0 || (this.order[this.order.length - 1] as string) < record.id) this.order.push(record.id);
      else this.order.splice(upperBound(this.order, record.id), 0, record.id);
      return true;
    }
    const entry = this.entries.get(record.id);
    if (!entry) return false;
    const delivery: Delivery = {
      recipient: record.recipient,
      status: record.status,
      at: record.ts,
      ...(record.code !== undefined ? { code: record.code } : {}),
      ...(record.reason !== undefined ? { reason: record.reason } : {}),
    };
    entry.deliveries.set(record.recipient.toLowerCase(), delivery);
    return true;
  }

  private view(id: string): RelayMessage | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    const { t: _t, ...rec } = entry.record;
    const deliveries = [...entry.deliveries.values()];
    const status =
      deliveries.length > 0 && deliveries.every((d) => d.status === 'delivered')
        ? 'delivered'
        : deliveries.some((d) => d.status === 'queued' || d.status === 'delivering')
          ? 'queued'
          : 'failed';
    return { ...rec, deliveries, status };
  }

  private replay(logger: Logger | undefined): void {
    let data: Buffer;
    try {
      data = fs.readFileSync(this.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const warn = (message: string) => {
      this.warnings.push(message);
      logger?.warn(message, { file: this.file });
    };
    const end = data.lastIndexOf(0x0a) + 1;
    if (end < data.length) {
      const torn = data.subarray(end);
      withFileLockSync(this.file, () => {
        fs.appendFileSync(`${this.file}.torn`, Buffer.concat([torn, Buffer.from('\n')]), { mode: 0o600 });
        fs.truncateSync(this.file, end);
      });
      warn(`message log: the last line was cut off (${torn.length} bytes, a crash during an append); moved it to messages.jsonl.torn and kept everything before it`);
    }
    const lines = data.subarray(0, end).toString('utf8').split('\n');
    lines.pop();
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        warn(`message log: line ${i + 1} is not valid JSON; skipped`);
        return;
      }
      const result = LogRecord.safeParse(parsed);
      if (!result.success) {
        warn(`message log: line ${i + 1} is not a message or status record; skipped`);
        return;
      }
      if (!this.apply(result.data)) warn(`message log: line ${i + 1} refers to an unknown or repeated message ${result.data.id}; skipped`);
    });
  }
}

function involves(record: MessageRecord, agent: string): boolean {
  return record.from.toLowerCase() === agent || record.recipients.some((r) => r.toLowerCase() === agent) || record.to.toLowerCase() === agent;
}

function upperBound(sorted: ReadonlyArray<string>, value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
