/**
 * Terminal output's UTF-8 bytes as they came from the terminal host, carried along with its string
 * (under a symbol: never serialised, not part of the contract), so a transport that sends bytes (the
 * WebSocket's binary frame, Electron IPC) copies them instead of encoding the string again. The bytes
 * are always the UTF-8 of the string they ride with.
 */
const OUTPUT_BYTES = Symbol.for('agent-relay.terminal-output-bytes');

/** `target` with `bytes` attached (when there are any); returns `target`. */
export function withOutputBytes<T extends object>(target: T, bytes: Uint8Array | undefined): T {
  // Not enumerable: copies, comparisons and serialisers see the object as it was.
  if (bytes) Object.defineProperty(target, OUTPUT_BYTES, { value: bytes, enumerable: false, configurable: true });
  return target;
}

/** The bytes attached to `source` by withOutputBytes, if any. */
export function outputBytes(source: unknown): Uint8Array | undefined {
  return typeof source === 'object' && source !== null ? (source as { [OUTPUT_BYTES]?: Uint8Array })[OUTPUT_BYTES] : undefined;
}
