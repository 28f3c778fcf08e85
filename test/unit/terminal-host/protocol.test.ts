import { describe, expect, it } from 'vitest';
import { encodeOutputFrame, readsOutputFrames, WireReader, type OutputFrame } from '../../../main/core/terminal-host/protocol.js';

function reader() {
  const messages: unknown[] = [];
  const frames: OutputFrame[] = [];
  const errors: string[] = [];
  const r = new WireReader(
    (m) => messages.push(m),
    (f) => frames.push(f),
    (e) => errors.push(e.message),
  );
  return { r, messages, frames, errors };
}

describe('terminal host wire: JSON lines and binary output frames', () => {
  const stream = Buffer.concat([
    Buffer.from(`${JSON.stringify({ t: 'res', id: 1, ok: true, value: 'first' })}\n`),
    encodeOutputFrame('Alice', 7, 'héllo \u{1F600} wörld\r\n\x1b[31mred\x1b[0m'),
    encodeOutputFrame('Bø', 8, ''),
    Buffer.from(`${JSON.stringify({ t: 'event', event: { type: 'removed', name: 'Alice' } })}\n`),
    encodeOutputFrame('Alice', 2 ** 40, 'x'.repeat(70_000)),
  ]);
  const expected = {
    messages: [
      { t: 'res', id: 1, ok: true, value: 'first' },
      { t: 'event', event: { type: 'removed', name: 'Alice' } },
    ],
    frames: [
      { name: 'Alice', seq: 7, data: 'héllo \u{1F600} wörld\r\n\x1b[31mred\x1b[0m' },
      { name: 'Bø', seq: 8, data: '' },
      { name: 'Alice', seq: 2 ** 40, data: 'x'.repeat(70_000) },
    ],
  };

  it('reads a stream in one piece', () => {
    const { r, messages, frames, errors } = reader();
    r.push(stream);
    expect({ messages, frames }).toEqual(expected);
    expect(errors).toEqual([]);
  });

  it('reads the same stream split at every byte boundary pattern (1, 2, 3, 5, 4096 bytes)', () => {
    for (const size of [1, 2, 3, 5, 4096]) {
      const { r, messages, frames, errors } = reader();
      for (let i = 0; i < stream.length; i += size) r.push(stream.subarray(i, i + size));
      expect({ messages, frames }).toEqual(expected);
      expect(errors).toEqual([]);
    }
  });

  it('a line that is not JSON or a malformed frame is an error and stops reading', () => {
    const bad = reader();
    bad.r.push(Buffer.from('not json\n{"t":"x"}\n'));
    expect(bad.errors).toHaveLength(1);
    expect(bad.messages).toEqual([]);
    const frame = reader();
    const head = Buffer.from([0x01, 0xff, 0xff, 0xff, 0xff]);
    frame.r.push(head);
    expect(frame.errors).toHaveLength(1);
    expect(frame.frames).toEqual([]);
  });

  it('only a daemon that says protocol 1.1 or later gets frames', () => {
    expect(readsOutputFrames({ major: 1, minor: 0 })).toBe(false);
    expect(readsOutputFrames({ major: 1, minor: 1 })).toBe(true);
    expect(readsOutputFrames({ major: 2, minor: 0 })).toBe(true);
    expect(readsOutputFrames(undefined)).toBe(false);
  });
});
