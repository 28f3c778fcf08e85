import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MESSAGE_ARCHIVE_DIR, MESSAGE_LOG_FILE, MessageLog } from '../../../main/core/relay/message-log.js';
import { MessageIdGenerator } from '../../../main/core/relay/message-id.js';

let dataDir: string;
let now = 1_700_000_000_000;
const ids = new MessageIdGenerator(() => now);

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-compact-'));
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function addMessages(log: MessageLog, count: number, settle = true): string[] {
  const made: string[] = [];
  for (let i = 0; i < count; i++) {
    now += 1;
    const id = ids.next();
    log.appendMessage({ id, ts: now, from: 'Alice', to: 'Bob', recipients: ['Bob'], recipientIds: ['a-bob'], body: `m${made.length}`, thread: null, origin: 'agent', kind: 'line' }, [
      { recipient: 'Bob', status: 'queued' },
    ]);
    if (settle) {
      log.appendStatuses([{ id, change: { recipient: 'Bob', status: 'delivering' } }]);
      log.appendStatuses([{ id, change: { recipient: 'Bob', status: 'delivered' } }]);
      log.appendStatuses([{ id, change: { recipient: 'Bob', status: 'acknowledged' } }]);
    }
    made.push(id);
  }
  return made;
}

const lines = (file: string) => fs.readFileSync(file, 'utf8').trimEnd().split('\n').length;

describe('message log compaction', () => {
  it('keeps the newest messages live and one line per state, archives the rest, and history still pages back through all of them', () => {
    const first = MessageLog.open({ dataDir, keepLive: 20, compactAfter: 1_000_000 });
    const pending = addMessages(first, 1, false);
    const settled = addMessages(first, 99);
    first.close();
    const file = path.join(dataDir, MESSAGE_LOG_FILE);
    expect(lines(file)).toBe(2 + 99 * 5);

    // Opened again: over keepLive, so compacted: the oldest message still queued stops the archive cut.
    const second = MessageLog.open({ dataDir, keepLive: 20, compactAfter: 1_000_000 });
    expect(lines(file)).toBe(100 * 2);
    second.close();
    expect(fs.existsSync(path.join(dataDir, MESSAGE_ARCHIVE_DIR))).toBe(false);

    // Once it is settled, the next compaction archives everything but the newest 20.
    const third = MessageLog.open({ dataDir, keepLive: 20, compactAfter: 1_000_000 });
    third.appendStatuses([{ id: pending[0]!, change: { recipient: 'Bob', status: 'failed', code: 'recipient_removed', reason: 'gone' } }]);
    expect(third.compact()).toEqual({ archived: 80, live: 20 });
    third.close();
    expect(lines(file)).toBe(20 * 2);
    const segments = fs.readdirSync(path.join(dataDir, MESSAGE_ARCHIVE_DIR));
    expect(segments).toEqual([`${settled[78]}.jsonl`]);
    expect(fs.statSync(path.join(dataDir, MESSAGE_ARCHIVE_DIR, segments[0]!)).mode & 0o777).toBe(0o600);

    const log = MessageLog.open({ dataDir, keepLive: 20, compactAfter: 1_000_000 });
    const all = [...pending, ...settled];
    const seen: string[] = [];
    let before: string | undefined;
    for (let page = 0; page < 20; page++) {
      const result = log.list({ limit: 15, ...(before ? { before } : {}) });
      seen.push(...result.items.map((m) => m.id));
      if (!result.nextCursor) break;
      before = result.nextCursor;
    }
    expect(seen).toEqual([...all].reverse());
    expect(log.get(pending[0]!)).toMatchObject({ body: 'm0', status: 'failed', deliveries: [{ code: 'recipient_removed', reason: 'gone' }] });
    expect(log.get(settled[10]!)).toMatchObject({ body: 'm10', status: 'acknowledged', recipientIds: ['a-bob'] });
    log.close();
  });

  it('reads an archived message by id on a fresh start, and keeps appending after a compaction in a running log', () => {
    const log = MessageLog.open({ dataDir, keepLive: 5, compactAfter: 10 });
    const made = addMessages(log, 30);
    log.compact();
    const more = addMessages(log, 3);
    log.close();
    const reopened = MessageLog.open({ dataDir, keepLive: 5, compactAfter: 10 });
    expect(reopened.get(made[0]!)?.body).toBe('m0');
    expect(reopened.get(more[2]!)?.body).toBe('m2');
    expect(reopened.list({ limit: 500 }).items).toHaveLength(33);
    reopened.close();
  });
});
