import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../base/atomic-file.js';
import { upperBound } from '../base/sorted.js';
import { withFileLockSync } from '../base/file-lock.js';
import type { Logger } from '../logging/logger.js';

/**
 * The append-only message log: one JSON object per line in <dataDir>/relay/messages.jsonl, each
 * append flushed to disk before it returns. On open the log is replayed to rebuild every message and
 * its per-recipient delivery state. A torn last line (crash mid-append) is moved to messages.jsonl.torn
 * and cut off; a corrupt line is skipped with a warning and left in place. Nothing is ever wiped.
 */

/**
 * A copy's life: `queued` → `delivering` (flushed before the write) → `delivered` (written to the
 * terminal) → `acknowledged` (the recipient showed it or reacted) or `unacknowledged` (it did neither
 * within the window: flagged, never re-sent); `failed` (with a code and reason) from any pending state.
 */
export const DeliveryStatus = z.enum(['queued', 'delivering', 'delivered', 'acknowledged', 'unacknowledged', 'failed']);
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
  /** Per recipient, the agent it is addressed to (its id); absent in logs written before agents had ids. */
  recipientIds: z.array(z.string()).optional(),
  body: z.string(),
  thread: z.string().nullable(),
  origin: MessageOrigin,
  kind: z.enum(['line', 'block', 'text']),
  /**
   * For a message an agent printed: where in its output it was read (the output stream, the chunk's seq
   * and the message's place among those that chunk completed). Output read again after a daemon restart
   * is routed only past the last source logged, so a line is routed once.
   */
  source: z.object({ stream: z.string(), seq: z.number(), n: z.number() }).optional(),
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
  readonly recipientIds?: ReadonlyArray<string>;
  readonly body: string;
  readonly thread: string | null;
  readonly origin: MessageOrigin;
  readonly kind: MessageRecord['kind'];
  readonly deliveries: ReadonlyArray<Delivery>;
  /**
   * queued while any copy is pending; failed if any failed; acknowledged when every copy was;
   * unacknowledged if one was written but never seen; delivered otherwise.
   */
  readonly status: MessageStatus;
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
  /**
   * Compaction: the live log keeps about this many of the newest messages (and every one still
   * pending); older, settled ones move to archive segments read only when history pages back to
   * them. Default 5,000.
   */
  keepLive?: number;
  /** Compact once the live log holds this many records more than its compact form would (default 20,000). */
  compactAfter?: number;
}

/** Where archived (compacted, settled) messages go: one segment file per compaction, named by its newest id. */
export const MESSAGE_ARCHIVE_DIR = path.join('relay', 'archive');

export interface MessageSource {
  readonly stream: string;
  readonly seq: number;
  readonly n: number;
}

/** Whether a is at or before b in one output stream. */
export const sourceAtOrBefore = (a: Pick<MessageSource, 'seq' | 'n'>, b: Pick<MessageSource, 'seq' | 'n'>): boolean => a.seq < b.seq || (a.seq === b.seq && a.n <= b.n);

export type MessageStatus = 'queued' | 'delivered' | 'acknowledged' | 'unacknowledged' | 'failed';

export function messageStatus(deliveries: ReadonlyArray<Pick<Delivery, 'status'>>): MessageStatus {
  if (deliveries.length === 0) return 'failed';
  if (deliveries.some((d) => d.status === 'queued' || d.status === 'delivering')) return 'queued';
  if (deliveries.some((d) => d.status === 'failed')) return 'failed';
  if (deliveries.every((d) => d.status === 'acknowledged')) return 'acknowledged';
  if (deliveries.some((d) => d.status === 'unacknowledged')) return 'unacknowledged';
  return 'delivered';
}

/** The key a copy is queued under: its recipient's id, or its name for old records. */
export function recipientKey(message: Pick<RelayMessage, 'recipients' | 'recipientIds'>, recipient: string): string {
  const index = message.recipients.findIndex((r) => r.toLowerCase() === recipient.toLowerCase());
  const id = index >= 0 ? message.recipientIds?.[index] : undefined;
  return id ?? `name:${recipient.toLowerCase()}`;
}

interface Entry {
  record: MessageRecord;
  deliveries: Map<string, Delivery>;
  /** In an archive segment, not the live log. */
  archived?: boolean;
}

export const MESSAGE_LOG_FILE = path.join('relay', 'messages.jsonl');

export class MessageLog {
  readonly file: string;
  /** Warnings from the last replay (torn or corrupt lines), also sent to the logger. */
  readonly warnings: string[] = [];
  private readonly entries = new Map<string, Entry>();
  /** Per agent output stream: the last place a logged message was read from. */
  private readonly sources = new Map<string, MessageSource>();
  private readonly order: string[] = [];
  private fd: number;
  private dirty = false;
  private readonly now: () => number;
  private readonly fsync: boolean;
  private readonly archiveDir: string;
  private readonly keepLive: number;
  private readonly compactAfter: number;
  private readonly logger: Logger | undefined;
  /** Records in the live file (replayed plus appended). */
  private records = 0;
  private sinceCheck = 0;
  /** Archive segments not read yet, oldest first (file names: `<newest id>.jsonl`). */
  private unreadSegments: string[] = [];

  private constructor(options: MessageLogOptions) {
    this.file = path.join(options.dataDir, MESSAGE_LOG_FILE);
    this.archiveDir = path.join(options.dataDir, MESSAGE_ARCHIVE_DIR);
    this.now = options.now ?? Date.now;
    this.fsync = options.fsync ?? true;
    this.keepLive = Math.max(1, options.keepLive ?? 5_000);
    this.compactAfter = Math.max(1, options.compactAfter ?? 20_000);
    this.logger = options.logger;
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    this.replay(options.logger);
    this.unreadSegments = this.listSegments();
    this.fd = fs.openSync(this.file, 'a', 0o600);
    if (this.needsCompaction()) this.compact();
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

  /**
   * Appends a new message with the initial status of each copy, in one write, flushed before it
   * returns unless `durable: false` (then with the next flush, at the latest on the next tick: a burst
   * of messages shares one fsync; any `delivering` record flushes them first).
   */
  appendMessage(record: Omit<MessageRecord, 't'>, statuses: ReadonlyArray<StatusChange>, options: { durable?: boolean } = {}): RelayMessage {
    if (this.entries.has(record.id)) throw new Error(`message ${record.id} is already in the log`);
    const msg: MessageRecord = { t: 'msg', ...record };
    const ts = this.now();
    const lines = [msg, ...statuses.map((s) => this.statusRecord(record.id, s, ts))];
    this.write(lines, options.durable ?? true);
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
    const found = this.view(id);
    if (found) return found;
    // An archived message: read segments back to the one that can hold it.
    while (this.unreadSegments.length > 0 && !this.entries.has(id) && id <= segmentNewest(this.unreadSegments[this.unreadSegments.length - 1] as string)) {
      this.readNewestSegment();
    }
    return this.view(id);
  }

  /** Newest first, filtered, paged; reaches into the archive as the pages go back. */
  list(filter: HistoryFilter = {}): HistoryPage {
    const limit = Math.max(1, Math.min(filter.limit ?? 50, 500));
    const agent = filter.agent?.toLowerCase();
    const items: RelayMessage[] = [];
    let cursor = filter.before;
    for (;;) {
      let index = this.order.length - 1;
      if (cursor) {
        index = upperBound(this.order, cursor) - 1;
        while (index >= 0 && this.order[index] === cursor) index--;
      }
      for (; index >= 0 && items.length < limit; index--) {
        const entry = this.entries.get(this.order[index] as string) as Entry;
        const rec = entry.record;
        cursor = rec.id;
        if (filter.thread && rec.thread !== filter.thread && rec.id !== filter.thread) continue;
        if (agent && !involves(rec, agent)) continue;
        items.push(this.view(rec.id) as RelayMessage);
      }
      if (items.length >= limit) {
        const last = items[items.length - 1] as RelayMessage;
        const more = upperBound(this.order, last.id) - 1 > 0 || this.unreadSegments.length > 0;
        return more ? { items, nextCursor: last.id } : { items };
      }
      // Ran out of what is in memory: older pages are in the archive.
      if (this.unreadSegments.length === 0) return { items };
      this.readNewestSegment();
    }
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

  /** The last place in an agent's output stream a logged message was read from (see MessageRecord.source). */
  lastSource(stream: string): MessageSource | undefined {
    return this.sources.get(stream);
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
    this.records += records.length;
    // Whether to compact is looked at every 1,000 records, after the current work.
    this.sinceCheck += records.length;
    if (this.sinceCheck >= 1_000) {
      this.sinceCheck = 0;
      setImmediate(() => {
        if (this.fd >= 0 && this.needsCompaction()) this.compact();
      });
    }
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
      if (record.source) {
        const last = this.sources.get(record.source.stream);
        if (!last || sourceAtOrBefore(last, record.source)) this.sources.set(record.source.stream, record.source);
      }
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

  /** Lines the live log would have compacted: one per message and one per copy. */
  private compactSize(): number {
    let size = 0;
    for (const entry of this.entries.values()) if (!entry.archived) size += 1 + entry.deliveries.size;
    return size;
  }

  private needsCompaction(): boolean {
    const live = this.order.filter((id) => !this.entries.get(id)?.archived).length;
    return this.records - this.compactSize() >= this.compactAfter || live > this.keepLive * 1.5;
  }

  /**
   * Rewrites the live log as one message record plus the latest status of each copy, and moves the
   * oldest settled messages beyond `keepLive` into an archive segment, so a start replays a bounded
   * file. Both files are written whole and renamed into place (a crash leaves the old or the new one;
   * a message in both is read once), under the log's cross-process lock.
   */
  compact(): { archived: number; live: number } {
    const live = this.order.filter((id) => !this.entries.get(id)?.archived);
    let cut = 0;
    while (live.length - cut > this.keepLive) {
      const entry = this.entries.get(live[cut] as string) as Entry;
      // Still waiting to be delivered or acknowledged: stays live.
      if ([...entry.deliveries.values()].some((d) => d.status === 'queued' || d.status === 'delivering' || d.status === 'delivered')) break;
      cut += 1;
    }
    const toArchive = live.slice(0, cut);
    const keep = live.slice(cut);
    const lines = (ids: ReadonlyArray<string>) => ids.map((id) => this.compactLines(id)).join('');
    withFileLockSync(this.file, () => {
      if (toArchive.length > 0) writeFileAtomic(path.join(this.archiveDir, `${toArchive[toArchive.length - 1]}.jsonl`), lines(toArchive));
      if (this.dirty && this.fsync) fs.fsyncSync(this.fd);
      this.dirty = false;
      writeFileAtomic(this.file, lines(keep));
      fs.closeSync(this.fd);
      this.fd = fs.openSync(this.file, 'a', 0o600);
    });
    // Archived messages leave memory; history and read find them in the segment again when asked.
    if (toArchive.length > 0) {
      const gone = new Set(toArchive);
      for (const id of toArchive) this.entries.delete(id);
      const remaining = this.order.filter((id) => !gone.has(id));
      this.order.splice(0, this.order.length, ...remaining);
      // Segments already read stay in memory; this one is the newest archive segment.
      this.unreadSegments.push(`${toArchive[toArchive.length - 1]}.jsonl`);
    }
    this.records = keep.reduce((n, id) => n + 1 + (this.entries.get(id) as Entry).deliveries.size, 0);
    this.logger?.info('message log compacted', { live: keep.length, archived: toArchive.length });
    return { archived: toArchive.length, live: keep.length };
  }

  private compactLines(id: string): string {
    const entry = this.entries.get(id) as Entry;
    let text = `${JSON.stringify(entry.record)}\n`;
    for (const d of entry.deliveries.values()) {
      const record: StatusRecord = { t: 'status', id, recipient: d.recipient, status: d.status, ts: d.at };
      if (d.code !== undefined) record.code = d.code;
      if (d.reason !== undefined) record.reason = d.reason;
      text += `${JSON.stringify(record)}\n`;
    }
    return text;
  }

  private listSegments(): string[] {
    try {
      return fs
        .readdirSync(this.archiveDir)
        .filter((name) => /^[0-9a-z]{12}\.jsonl$/.test(name))
        .sort();
    } catch {
      return [];
    }
  }

  /** Reads the newest archive segment not read yet into memory (settled messages, read-only). */
  private readNewestSegment(): void {
    const name = this.unreadSegments.pop();
    if (!name) return;
    let text: string;
    try {
      text = fs.readFileSync(path.join(this.archiveDir, name), 'utf8');
    } catch (error) {
      this.logger?.warn('message log: an archive segment could not be read', { name, error: (error as Error).message });
      return;
    }
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        continue;
      }
      const result = LogRecord.safeParse(parsed);
      if (!result.success) continue;
      // A message also in the live log (a crash between the two renames) is read once, from there.
      if (result.data.t === 'msg' ? this.entries.has(result.data.id) : this.entries.get(result.data.id)?.archived !== true) continue;
      this.apply(result.data);
      if (result.data.t === 'msg') (this.entries.get(result.data.id) as Entry).archived = true;
    }
  }

  private view(id: string): RelayMessage | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    const { t: _t, source: _source, ...rec } = entry.record;
    const deliveries = [...entry.deliveries.values()];
    return { ...rec, deliveries, status: messageStatus(deliveries) };
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
      this.records += 1;
      if (!this.apply(result.data)) warn(`message log: line ${i + 1} refers to an unknown or repeated message ${result.data.id}; skipped`);
    });
  }
}

function segmentNewest(name: string): string {
  return name.slice(0, 12);
}

function involves(record: MessageRecord, agent: string): boolean {
  return record.from.toLowerCase() === agent || record.recipients.some((r) => r.toLowerCase() === agent) || record.to.toLowerCase() === agent;
}

