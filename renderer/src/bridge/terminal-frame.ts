import type { TerminalChunk } from './bridge';

/**
 * Reads the daemon's binary `terminal.output` frame (layout: main/core/transport/terminal-frame.ts).
 * The data stays UTF-8 bytes: xterm decodes them itself, so the page never builds the string.
 */
const TERMINAL_OUTPUT_FRAME = 1;
const HEADER = 14;
const names = new TextDecoder();

export function decodeTerminalFrame(buffer: ArrayBuffer): TerminalChunk | undefined {
  if (buffer.byteLength < HEADER) return undefined;
  const view = new DataView(buffer);
  if (view.getUint8(0) !== TERMINAL_OUTPUT_FRAME) return undefined;
  const nameLength = view.getUint8(13);
  if (buffer.byteLength < HEADER + nameLength) return undefined;
  return {
    seq: view.getFloat64(1, true),
    chars: view.getUint32(9, true),
    name: names.decode(new Uint8Array(buffer, HEADER, nameLength)),
    data: new Uint8Array(buffer, HEADER + nameLength),
  };
}
