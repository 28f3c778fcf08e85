import { describe, expect, it } from 'vitest';
import { decodeTerminalFrame, encodeTerminalFrame } from '../../../main/core/transport/terminal-frame.js';

// The page reads the same layout (test/unit/renderer/terminal-frame.test.ts builds this frame by hand).
describe('the binary terminal.output frame (daemon side)', () => {
  const data = '\x1b[31mred\x1b[0m 漢字 ✓ 🙂 \r\n';

  it('is kind 1, seq as float64, the length as a string as uint32, the name, then the UTF-8 bytes verbatim', () => {
    const frame = encodeTerminalFrame('Alice_2', 123_456_789_012, data);
    expect(frame.readUInt8(0)).toBe(1);
    expect(frame.readDoubleLE(1)).toBe(123_456_789_012);
    expect(frame.readUInt32LE(9)).toBe(data.length);
    expect(frame.readUInt8(13)).toBe(7);
    expect(frame.toString('utf8', 14, 21)).toBe('Alice_2');
    // No JSON around the bytes: ESC is one byte, not \u001b.
    expect(frame.subarray(21).toString('utf8')).toBe(data);
    expect(decodeTerminalFrame(frame)).toEqual({ name: 'Alice_2', seq: 123_456_789_012, chars: data.length, data });
  });

  it('reads nothing from a frame that is not terminal output', () => {
    expect(decodeTerminalFrame(Buffer.from([9, ...new Array(20).fill(0)]))).toBeUndefined();
    expect(decodeTerminalFrame(Buffer.from([1, 2]))).toBeUndefined();
  });
});
