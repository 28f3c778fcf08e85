// The mirror worker (mirror-thread.ts): the headless terminals of every agent, parsed off the
// daemon's event loop. Built as its own bundle beside the daemon's (terminal-mirror-worker.js).
import v8 from 'node:v8';
import { parentPort } from 'node:worker_threads';
import type { MirrorEvent, MirrorRequest } from './mirror-thread.js';
import { TerminalMirror } from './terminal-mirror.js';

const port = parentPort as NonNullable<typeof parentPort>;
if (!parentPort) throw new Error('terminal-mirror-worker runs as a worker thread only.');
const mirrors = new Map<number, TerminalMirror>();
// Parsed reports gathered over one turn of the event loop travel in one message; a reply goes after
// the reports of everything parsed before it, as if each had been sent at once.
let parsed = new Map<number, { seq: number; chars: number }>();
let reportScheduled = false;
const send = (event: MirrorEvent) => {
  if (event.op !== 'parsed') sendParsed();
  port.postMessage(event);
};
function sendParsed(): void {
  if (parsed.size === 0) return;
  const report = [...parsed].map(([id, value]) => ({ id, seq: value.seq, chars: value.chars }));
  parsed = new Map();
  port.postMessage({ op: 'parsed', parsed: report } satisfies MirrorEvent);
}
function reportParsed(id: number, seq: number, chars: number): void {
  const entry = parsed.get(id);
  if (entry) {
    entry.seq = seq;
    entry.chars += chars;
  } else {
    parsed.set(id, { seq, chars });
  }
  if (reportScheduled) return;
  reportScheduled = true;
  setImmediate(() => {
    reportScheduled = false;
    sendParsed();
  });
}

async function read(mirror: TerminalMirror | undefined, request: Extract<MirrorRequest, { op: 'read' }>): Promise<void> {
  try {
    if (!mirror) throw new Error('The terminal mirror was closed before it could be read.');
    switch (request.what) {
      case 'snapshot':
        send({ op: 'reply', req: request.req, value: await mirror.snapshot() });
        return;
      case 'flush':
        await mirror.flush();
        send({ op: 'reply', req: request.req, value: null });
        return;
      case 'screen':
        await mirror.flush();
        send({ op: 'reply', req: request.req, value: mirror.screenText() });
        return;
      case 'logical-screen':
        await mirror.flush();
        send({ op: 'reply', req: request.req, value: mirror.logicalScreenText() });
        return;
      default: {
        const unknown: never = request.what;
        throw new Error(`unknown read ${String(unknown)}`);
      }
    }
  } catch (error) {
    send({ op: 'error', req: request.req, message: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * Heap a burst leaves behind (a flood parsed, twenty scrollbacks archived) is collected by V8 only when
 * more is allocated, and nothing is once the agents go quiet: measured, 24 of the worker's 56 MB were
 * free after 20 agents printed 10,000 lines each. After IDLE_COLLECT_MS without a request, if more
 * than SLACK_BYTES of the heap is free, one full collection gives it back. `gc` exists when the
 * process runs with --expose-gc (the terminal host does: host-client.ts); otherwise nothing happens.
 */
const IDLE_COLLECT_MS = 5_000;
const SLACK_BYTES = 8 * 1024 * 1024;
let lastRequestAt = 0;
let idleTimer: NodeJS.Timeout | undefined;

function noteRequest(): void {
  lastRequestAt = performance.now();
  if (idleTimer) return;
  idleTimer = setTimeout(collectIfIdle, IDLE_COLLECT_MS);
  idleTimer.unref();
}

function collectIfIdle(): void {
  idleTimer = undefined;
  const left = lastRequestAt + IDLE_COLLECT_MS - performance.now();
  if (left > 1) {
    idleTimer = setTimeout(collectIfIdle, left);
    idleTimer.unref();
    return;
  }
  const gc = (globalThis as { gc?: () => void }).gc;
  const heap = v8.getHeapStatistics();
  if (gc && heap.total_heap_size - heap.used_heap_size > SLACK_BYTES) gc();
}

port.on('message', (request: MirrorRequest) => {
  noteRequest();
  switch (request.op) {
    case 'open': {
      const mirror = new TerminalMirror(request.options);
      mirror.onAccepted((chars) => reportParsed(request.id, mirror.parsedSeq, chars));
      mirrors.set(request.id, mirror);
      return;
    }
    case 'write':
      for (const write of request.writes) mirrors.get(write.id)?.write({ seq: write.seq, data: write.data }, write.firstSeq);
      return;
    case 'resize':
      mirrors.get(request.id)?.resize(request.cols, request.rows);
      return;
    case 'read':
      // Asked now, so the mirror's snapshot is tagged with the last chunk written before this request.
      void read(mirrors.get(request.id), request);
      return;
    case 'close':
      mirrors.get(request.id)?.dispose();
      mirrors.delete(request.id);
      return;
    default: {
      const unknown: never = request;
      throw new Error(`unknown mirror request ${JSON.stringify(unknown)}`);
    }
  }
});
