import { describe, expect, it } from 'vitest';
import { decodeTerminalFrame as decodeInNode, encodeTerminalFrame } from '../../../main/core/transport/terminal-frame.js';
import { decodeTerminalFrame as decodeInPage } from '../../../renderer/src/bridge/terminal-frame';

describe('the binary terminal.output frame', () => {
  const data = '\x1b[31mred\x1b[0m 漢字 ✓ 🙂 \r\n';

  it('carries name, seq, the length as a string and the UTF-8 bytes; the page gets the bytes as they are', () => {
    const frame = encodeTerminalFrame('Alice_2', 123_456_789_012, data);
    // No JSON around the bytes: the data is there verbatim, ESC included.
    expect(frame.subarray(frame.length - Buffer.byteLength(data)).toString('utf8')).toBe(data);

    const buffer = frame.buffer.slice(frame.byteOffset, frame.byteOffset + frame.length) as ArrayBuffer;
    const page = decodeInPage(buffer);
    expect(page).toMatchObject({ name: 'Alice_2', seq: 123_456_789_012, chars: data.length });
    expect(page?.data).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(page?.data as Uint8Array)).toBe(data);

    expect(decodeInNode(frame)).toEqual({ name: 'Alice_2', seq: 123_456_789_012, chars: data.length, data });
  });

  it('ignores frames that are not terminal output', () => {
    expect(decodeInPage(new Uint8Array([2, 0, 0]).buffer)).toBeUndefined();
    expect(decodeInNode(Buffer.from([9, ...new Array(20).fill(0)]))).toBeUndefined();
  });
});
