/**
 * The binary WebSocket frame for `terminal.output`: no JSON and no escaping around terminal bytes
 * (JSON turns every ESC into six characters and makes both ends walk the text twice).
 *
 *   byte 0      frame kind, 1 = terminal.output
 *   bytes 1–8   seq, float64 little-endian: the last chunk's (a frame may join consecutive chunks of
 *               one agent, see output-frames.ts, so seq grows from frame to frame but may skip)
 *   bytes 9–12  chars: the data's length as a string (UTF-16 code units), uint32 little-endian
 *   byte 13     n: length of the agent's name in bytes
 *   14…14+n     the agent's name, UTF-8
 *   the rest    the data, UTF-8
 *
 * The page's decoder is renderer/src/bridge/terminal-frame.ts (kept in step by a test).
 */
export const TERMINAL_OUTPUT_FRAME = 1;
const HEADER = 14;

export function encodeTerminalFrame(name: string, seq: number, data: string): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  if (nameBytes.length > 255) throw new RangeError('agent name too long for a terminal frame');
  const frame = Buffer.allocUnsafe(HEADER + nameBytes.length + Buffer.byteLength(data, 'utf8'));
  frame.writeUInt8(TERMINAL_OUTPUT_FRAME, 0);
  frame.writeDoubleLE(seq, 1);
  frame.writeUInt32LE(data.length, 9);
  frame.writeUInt8(nameBytes.length, 13);
  nameBytes.copy(frame, HEADER);
  frame.write(data, HEADER + nameBytes.length, 'utf8');
  return frame;
}

/**
 * One frame for several chunks of one agent's output, joined in order: `parts` are strings or their
 * UTF-8 bytes (copied as they are), `bytes` their total size in UTF-8, `chars` their total length as
 * strings (what the console acknowledges), `seq` the last chunk's.
 */
export function encodeTerminalFrameParts(name: string, seq: number, chars: number, bytes: number, parts: ReadonlyArray<string | Uint8Array>): Buffer {
  const nameLength = Buffer.byteLength(name, 'utf8');
  if (nameLength > 255) throw new RangeError('agent name too long for a terminal frame');
  const frame = Buffer.allocUnsafe(HEADER + nameLength + bytes);
  frame.writeUInt8(TERMINAL_OUTPUT_FRAME, 0);
  frame.writeDoubleLE(seq, 1);
  frame.writeUInt32LE(chars, 9);
  frame.writeUInt8(nameLength, 13);
  frame.write(name, HEADER, 'utf8');
  let at = HEADER + nameLength;
  for (const part of parts) {
    if (typeof part === 'string') at += frame.write(part, at, 'utf8');
    else {
      frame.set(part, at);
      at += part.length;
    }
  }
  if (at !== frame.length) throw new Error('terminal frame parts do not add up to their stated size');
  return frame;
}

/** For Node readers (CLI, tests): the frame back to a name, seq and string data; undefined if it is not one. */
export function decodeTerminalFrame(frame: Buffer): { name: string; seq: number; chars: number; data: string } | undefined {
  if (frame.length < HEADER || frame.readUInt8(0) !== TERMINAL_OUTPUT_FRAME) return undefined;
  const nameLength = frame.readUInt8(13);
  if (frame.length < HEADER + nameLength) return undefined;
  return {
    seq: frame.readDoubleLE(1),
    chars: frame.readUInt32LE(9),
    name: frame.toString('utf8', HEADER, HEADER + nameLength),
    data: frame.toString('utf8', HEADER + nameLength),
  };
}
