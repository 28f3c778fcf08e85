// Shared by the terminal-*.mjs benchmarks: bundles main/core/agents (TypeScript) with esbuild into
// .tmp/bench/agents.mjs (and the mirror worker beside it) and imports it; node-pty and xterm stay
// external and load from node_modules. MIRROR=thread runs the agents' mirrors on the event loop.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleForBench } from './bench-bundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const fixturesDir = path.join(root, 'test/fixtures/agents');

export async function loadAgents() {
  const outfile = path.join(root, '.tmp/bench/agents.mjs');
  await bundleForBench({
    stdin: {
      contents: [
        "export * from './main/core/agents/agent-host.js';",
        "export * from './main/core/agents/agent-spec.js';",
        "export * from './main/core/agents/terminal-mirror.js';",
        "export * from './main/core/agents/flow-control.js';",
        "export * from './main/core/agents/output-batcher.js';",
        "export { RelayParser } from './main/core/relay/relay-parser.js';",
        "export { encodeTerminalFrame } from './main/core/transport/terminal-frame.js';",
        "export { ScrollbackIndex } from './main/core/terminal-host/scrollback-index.js';",
        "export { encodeOutputFrame, WireReader } from './main/core/terminal-host/protocol.js';",
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
      sourcefile: 'bench-entry.ts',
    },
    outfile,
  });
  // The mirror worker, where AgentHost looks for it by default: beside the bundle.
  await bundleForBench({
    entryPoints: [path.join(root, 'main/core/agents/terminal-mirror-worker.ts')],
    outfile: path.join(path.dirname(outfile), 'terminal-mirror-worker.js'),
  });
  return import(pathToFileURL(outfile).href);
}

/** AgentHost options for where the mirror parses: MIRROR=thread keeps it on the event loop (default: the worker). */
export function mirrorOptions() {
  return process.env.MIRROR === 'thread' ? { mirrorWorker: false } : {};
}

export function env() {
  return Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined));
}

export const mb = (chars) => chars / (1024 * 1024);
export const fmt = (n, digits = 1) => n.toFixed(digits);

/** Samples RSS every 10 ms; returns a stop function giving the peak in MB. */
export function rssSampler() {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  return () => {
    clearInterval(timer);
    return mb(Math.max(peak, process.memoryUsage.rss()));
  };
}
