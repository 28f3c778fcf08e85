import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MessageLog, MESSAGE_LOG_FILE, type MessageRecord } from '../../../main/core/relay/message-log.js';
import { MessageIdGenerator, isMessageId } from '../../../main/core/relay/message-id.js';

let dataDir: string;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-log-'));
});
afterEach(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const ids = new MessageIdGenerator();
function message(overrides: Partial<Omit<MessageRecord, 't'>> = {}): Omit<MessageRecord, 't'> {
  return { id: ids.next(), ts: Date.now(), from: 'Alice', to: 'Bob', recipients: ['Bob'], body: 'hello', thread: null, origin: 'agent', kind: 'line', ...overrides };
}

describe('MessageLog', () => {
  it('reads a message back in full by id after a restart, with its status history applied', () => {
    const body = 'line one\nline two ünï\n'.repeat(200);
    const log = MessageLog.open({ dataDir });
    const m = message({ body });
    log.appendMessage(m, [{ recipient: 'Bob', status: 'queued' }]);
    log.appendStatus(m.id, { recipient: 'Bob', status: 'delivering' });
    log.appendStatus(m.id, { recipient: 'Bob', status: 'delivered' });
    log.close();

    const again = MessageLog.open({ dataDir });
    const read = again.get(m.id);
    expect(read?.body).toBe(body);
    expect(read?.status).toBe('delivered');
    expect(read?.deliveries).toEqual([expect.objectContaining({ recipient: 'Bob', status: 'delivered' })]);
    expect(again.warnings).toEqual([]);
    again.close();
  });

  it('keeps everything before a torn last line, moves the torn bytes aside, and appends cleanly after', () => {
    const log = MessageLog.open({ dataDir });
    const a = message({ body: 'first' });
    log.appendMessage(a, [{ recipient: 'Bob', status: 'queued' }]);
    log.close();
    const file = path.join(dataDir, MESSAGE_LOG_FILE);
    fs.appendFileSync(file, '{"t":"msg","id":"zzz","ts":1,"from":"Al');

    const reopened = MessageLog.open({ dataDir });
    expect(reopened.get(a.id)?.body).toBe('first');
    expect(reopened.warnings).toHaveLength(1);
    expect(reopened.warnings[0]).toMatch(/cut off/);
    expect(fs.readFileSync(`${file}.torn`, 'utf8')).toContain('"from":"Al');
    const b = message({ body: 'second' });
    reopened.appendMessage(b, [{ recipient: 'Bob', status: 'queued' }]);
    reopened.close();

    const third = MessageLog.open({ dataDir });
    expect(third.warnings).toEqual([]);
    expect(third.list().items.map((m) => m.body)).toEqual(['second', 'first']);
    third.close();
  });

  it('skips corrupt lines with a warning and never rewrites them', () => {
    const log = MessageLog.open({ dataDir });
    const a = message({ body: 'before' });
    log.appendMessage(a, [{ recipient: 'Bob', status: 'queued' }]);
    log.close();
    const file = path.join(dataDir, MESSAGE_LOG_FILE);
    fs.appendFileSync(file, 'not json at all\n{"t":"msg","id":"x"}\n{"t":"status","id":"nope","recipient":"Bob","status":"delivered","ts":1}\n');
    const again = MessageLog.open({ dataDir });
    const b = message({ body: 'after' });
    again.appendMessage(b, [{ recipient: 'Bob', status: 'queued' }]);
    again.close();

    const final = MessageLog.open({ dataDir });
    expect(final.warnings).toHaveLength(3);
    expect(final.warnings.join('\n')).toMatch(/line 3 is not valid JSON[\s\S]*line 4 is not a message[\s\S]*line 5 refers to an unknown/);
    expect(final.list().items.map((m) => m.body)).toEqual(['after', 'before']);
    expect(fs.readFileSync(file, 'utf8')).toContain('not json at all');
    final.close();
  });

  it('lists newest first, filters by agent (sender or recipient, any case) and thread, and pages', () => {
    const log = MessageLog.open({ dataDir });
    const t1 = message({ body: 'a1', from: 'Alice', to: 'Bob', recipients: ['Bob'] });
    log.appendMessage({ ...t1, thread: t1.id }, []);
    log.appendMessage(message({ body: 'c1', from: 'Carol', to: 'Dave', recipients: ['Dave'] }), []);
    log.appendMessage(message({ body: 'a2', from: 'Bob', to: 'Alice', recipients: ['Alice'], thread: t1.id }), []);
    log.appendMessage(message({ body: 'b3', from: 'human', to: '*', recipients: ['Alice', 'Carol'] }), []);

    expect(log.list().items.map((m) => m.body)).toEqual(['b3', 'a2', 'c1', 'a1']);
    expect(log.list({ agent: 'alice' }).items.map((m) => m.body)).toEqual(['b3', 'a2', 'a1']);
    expect(log.list({ agent: 'DAVE' }).items.map((m) => m.body)).toEqual(['c1']);
    expect(log.list({ thread: t1.id }).items.map((m) => m.body)).toEqual(['a2', 'a1']);

    const page1 = log.list({ limit: 2 });
    expect(page1.items.map((m) => m.body)).toEqual(['b3', 'a2']);
    expect(page1.nextCursor).toBeDefined();
    const page2 = log.list({ limit: 2, before: page1.nextCursor as string });
    expect(page2.items.map((m) => m.body)).toEqual(['c1', 'a1']);
    expect(page2.nextCursor).toBeUndefined();
    log.close();
  });
});

describe('MessageIdGenerator', () => {
  it('makes short, unique ids that sort in creation order, also within one millisecond', () => {
    const gen = new MessageIdGenerator(() => 1_700_000_000_000);
    const made = Array.from({ length: 1000 }, () => gen.next());
    expect(new Set(made).size).toBe(1000);
    expect([...made].sort()).toEqual(made);
    expect(made.every(isMessageId)).toBe(true);
  });

  it('continues after ids seen in the log even if the clock went back', () => {
    const later = new MessageIdGenerator(() => 2_000_000_000_000).next();
    const gen = new MessageIdGenerator(() => 1_000_000_000_000);
    gen.observe(later);
    expect(gen.next() > later).toBe(true);
  });

  it('remembers where in an agent\'s output its messages were read (per stream, the latest), across a restart, without showing it', () => {
    const log = MessageLog.open({ dataDir });
    log.appendMessage(message({ source: { stream: 'a-1/host', seq: 7, n: 0 } }), [{ recipient: 'Bob', status: 'queued' }]);
    log.appendMessage(message({ source: { stream: 'a-1/host', seq: 7, n: 1 } }), [{ recipient: 'Bob', status: 'queued' }]);
    const other = message({ source: { stream: 'a-2/host', seq: 3, n: 0 } });
    log.appendMessage(other, [{ recipient: 'Bob', status: 'queued' }]);
    log.appendMessage(message(), [{ recipient: 'Bob', status: 'queued' }]);
    log.close();

    const again = MessageLog.open({ dataDir });
    expect(again.lastSource('a-1/host')).toEqual({ stream: 'a-1/host', seq: 7, n: 1 });
    expect(again.lastSource('a-2/host')).toEqual({ stream: 'a-2/host', seq: 3, n: 0 });
    expect(again.lastSource('a-3/host')).toBeUndefined();
    expect(again.get(other.id)).not.toHaveProperty('source');
    again.close();
  });
});
