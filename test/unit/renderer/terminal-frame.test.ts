import { describe, expect, it } from 'vitest';
import { decodeTerminalFrame } from '../../../renderer/src/bridge/terminal-frame';

/** The daemon's layout (main/core/transport/terminal-frame.ts; test/unit/transport checks its encoder). */
function frame(name: string, seq: number, data: string): ArrayBuffer {
  const nameBytes = new TextEncoder().encode(name);
  const dataBytes = new TextEncoder().encode(data);
  const buffer = new ArrayBuffer(14 + nameBytes.length + dataBytes.length);
  const view = new DataView(buffer);
  view.setUint8(0, 1);
  view.setFloat64(1, seq, true);
  view.setUint32(9, data.length, true);
  view.setUint8(13, nameBytes.length);
  new Uint8Array(buffer, 14).set(nameBytes);
  new Uint8Array(buffer, 14 + nameBytes.length).set(dataBytes);
  return buffer;
}

describe('the binary terminal.output frame (page side)', () => {
  it('gives the name, seq and length, and the data as UTF-8 bytes for xterm, undecoded', () => {
    const data = '\x1b[31mred\x1b[0m 漢字 ✓ 🙂 \r\n';
    const chunk = decodeTerminalFrame(frame('Alice_2', 42, data));
    expect(chunk).toMatchObject({ name: 'Alice_2', seq: 42, chars: data.length });
    expect(chunk?.data).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(chunk?.data as Uint8Array)).toBe(data);
  });

  it('ignores anything else', () => {
    expect(decodeTerminalFrame(new Uint8Array([2, 0, 0]).buffer)).toBeUndefined();
  });
});
