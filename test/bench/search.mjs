// Search across agents: how long `agents.search` takes over 10 agents × 10,000 lines of scrollback.
//   node test/bench/search.mjs
// 1. The scrollback index alone (what the terminal host runs per search), against a naive baseline
//    that lower-cases and scans every line, in the same run.
// 2. End to end through a real terminal host: 10 real ptys print 10,000 lines each, then the daemon's
//    client asks the host over its loopback protocol (what `agent-relay-desktop search` waits for).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleForBench } from './bench-bundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const AGENTS = 10;
const LINES = 10_000;
const RUNS = 25;

async function load() {
  const outdir = path.join(root, '.tmp/bench');
  await bundleForBench({
    stdin: {
      contents: [
        "export { ScrollbackIndex } from './main/core/terminal-host/scrollback-index.js';",
        "export { TerminalHostServer } from './main/core/terminal-host/host-server.js';",
        "export { TerminalHostClient } from './main/core/terminal-host/host-client.js';",
        "export { createLogger } from './main/core/logging/logger.js';",
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
      sourcefile: 'search-bench-entry.ts',
    },
    outfile: path.join(outdir, 'search.mjs'),
  });
  await bundleForBench({
    entryPoints: [path.join(root, 'main/core/agents/terminal-mirror-worker.ts')],
    outfile: path.join(outdir, 'terminal-mirror-worker.js'),
  });
  return import(pathToFileURL(path.join(outdir, 'search.mjs')).href);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
function time(run) {
  const samples = [];
  let result;
  for (let i = 0; i < RUNS; i += 1) {
    const started = performance.now();
    result = run();
    samples.push(performance.now() - started);
  }
  return { ms: median(samples), result };
}
async function timeAsync(run) {
  const samples = [];
  let result;
  for (let i = 0; i < RUNS; i += 1) {
    const started = performance.now();
    result = await run();
    samples.push(performance.now() - started);
  }
  return { ms: median(samples), result };
}

const { ScrollbackIndex, TerminalHostServer, TerminalHostClient, createLogger } = await load();
const names = Array.from({ length: AGENTS }, (_, i) => `agent${i + 1}`);
const lineOf = (name, i) => (name === 'agent3' && i === 1_000 ? 'panic: lease expired for shard 7' : `\x1b[32m${name}\x1b[0m step ${i}: compiled src/module_${i % 97}.ts in ${i % 13} ms`);

// 1. The index alone.
const index = new ScrollbackIndex();
const plain = new Map();
for (const name of names) {
  const lines = Array.from({ length: LINES }, (_, i) => lineOf(name, i));
  index.write(name, `${lines.join('\r\n')}\r\n`);
  // eslint-disable-next-line no-control-regex
  plain.set(name, lines.map((l) => l.replace(/\x1b\[[0-9;]*m/g, '')));
}
const naive = (text) => {
  const needle = text.toLowerCase();
  const hits = [];
  for (const [name, lines] of plain) lines.forEach((line, i) => line.toLowerCase().includes(needle) && hits.push({ name, i }));
  return hits;
};
const queries = [
  ['one hit (agent3, 9,000 lines back)', { text: 'LEASE EXPIRED' }],
  ['no hit (full scan)', { text: 'segmentation fault' }],
  ['regex, one hit', { text: 'shard \\d+$', regex: true }],
];
console.log(`Search across ${AGENTS} agents × ${LINES.toLocaleString('en-US')} lines (median of ${RUNS})`);
console.log('\n1. Scrollback index (in the terminal host), vs a naive lower-case scan of the same lines');
for (const [label, query] of queries) {
  const fast = time(() => index.search(query, names));
  const base = query.regex ? undefined : time(() => naive(query.text));
  console.log(
    `  ${label.padEnd(38)} ${fast.ms.toFixed(2).padStart(7)} ms  ${String(fast.result.hits.length).padStart(2)} hit(s), ${fast.result.lines.toLocaleString('en-US')} lines` +
      (base ? `   baseline ${base.ms.toFixed(2)} ms (${(base.ms / fast.ms).toFixed(1)}× slower)` : ''),
  );
}

// 2. End to end through a real terminal host with real ptys.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'search-bench-'));
const logger = createLogger({ console: false });
const server = new TerminalHostServer({ dataDir, version: 'bench', logger, agents: { baseEnv: Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined)) } });
await server.listen();
const client = await TerminalHostClient.open({ dataDir, version: 'bench', logger });
try {
  const fixture = path.join(root, 'test/fixtures/terminal-host/lines.mjs');
  const printed = performance.now();
  // The host this client found is the one above (in this process); spawn through the client as the daemon does.
  for (const name of names) {
    const args = name === 'agent3' ? [fixture, String(LINES), '1000', 'panic: lease expired for shard 7'] : [fixture, String(LINES)];
    const spawned = await client.spawn({ name, command: process.execPath, args, cwd: dataDir, scrollback: LINES });
    if (!spawned.ok) throw spawned.error;
  }
  for (;;) {
    const done = names.every((name) => server.index.lineCount(name) > LINES);
    if (done) break;
    if (performance.now() - printed > 120_000) throw new Error('the agents did not finish printing');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  console.log(`\n2. Through a real terminal host (10 ptys, printed in ${((performance.now() - printed) / 1000).toFixed(1)} s), daemon client → host → reply`);
  for (const [label, query] of queries) {
    const e2e = await timeAsync(() => client.search(query));
    console.log(`  ${label.padEnd(38)} ${e2e.ms.toFixed(2).padStart(7)} ms  ${String(e2e.result.hits.length).padStart(2)} hit(s), ${e2e.result.lines.toLocaleString('en-US')} lines`);
  }
} finally {
  await client.release();
  await server.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
