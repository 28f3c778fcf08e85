import type { TerminalOutput, TerminalSnapshot } from '../../../preload/contract';
import type { Bridge } from '../../../renderer/src/bridge';

/**
 * A bridge whose daemon side is the test: `terminal.attach` answers `snapshot`, every call is
 * recorded, and terminal output for agent Alice is pushed by hand (with its length as a string, as
 * the daemon's frames carry it, when given).
 */
export function fakeBridge(snapshot: Pick<TerminalSnapshot, 'seq' | 'cols' | 'rows' | 'data'> = { seq: 2, cols: 80, rows: 24, data: 'screen' }) {
  const listeners = new Set<(chunk: TerminalOutput) => void>();
  const calls: Array<[string, unknown[]]> = [];
  const bridge = {
    transport: 'websocket',
    call: (method: string, ...args: unknown[]) => {
      calls.push([method, args]);
      if (method === 'terminal.attach') return Promise.resolve(snapshot);
      return Promise.resolve(null);
    },
    on: (_event: string, listener: (chunk: TerminalOutput) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    connection: () => 'open',
    onConnection: () => () => undefined,
  } as unknown as Bridge;
  const push = (seq: number, data: string | Uint8Array, chars?: number) =>
    listeners.forEach((listener) => listener({ name: 'Alice', seq, data, ...(chars === undefined ? {} : { chars }) } as unknown as TerminalOutput));
  /** Characters acknowledged so far (terminal.ack calls). */
  const acked = () => calls.filter(([method]) => method === 'terminal.ack').reduce((sum, [, args]) => sum + (args[1] as number), 0);
  return { bridge, calls, push, acked };
}
