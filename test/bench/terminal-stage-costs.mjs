// What each stage of the terminal output path costs, on one core, with no pty and no browser:
//  1. per MB of a flood: the same bytes through the batcher, the headless mirror, the relay parser and
//     the frames on both sockets. On a machine whose cores are all busy (the browser parses too),
//     throughput is bounded by the sum of these, so this shows which stage to make cheaper.
//  2. per small chunk (a spinner redrawing its status line, as the agent CLIs do ten times a second):
//     what the daemon does with one chunk from the host's socket to the relay (and to a console).
// CPU is process.cpuUsage() around each stage (it holds on a shared machine better than wall time).
// With BASELINE_ROOT=<another checkout> (e.g. `git archive main | tar -x -C /tmp/base`), the same
// stages of that checkout run first in the same process: before and after, side by side.
//
// Run: node test/bench/terminal-stage-costs.mjs [lines=200000] [width=100] [spinnerChunks=20000]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleForBench } from './bench-bundle.mjs';
import { fmt, loadAgents, mb } from './terminal-bench-build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const lines = Number(process.argv[2] ?? 200_000);
const width = Number(process.argv[3] ?? 100);
const spinnerChunks = Number(process.argv[4] ?? 20_000);

/** The daemon's relay and transport pieces of a checkout, bundled (its own copy, so two can be compared). */
async function loadDaemon(checkout, tag) {
  const outfile = path.join(root, `.tmp/bench/daemon-stages-${tag}.mjs`);
  const exists = (file) => fs.existsSync(path.join(checkout, file));
  await bundleForBench({
    stdin: {
      contents: [
        "export { RelayParser } from './main/core/relay/relay-parser.js';",
        "export { RelayHub } from './main/core/relay/relay-hub.js';",
        "export { TargetDirectory } from './main/core/relay/relay-target.js';",
        "export { encodeTerminalFrame } from './main/core/transport/terminal-frame.js';",
        "export { encodeOutputFrame, WireReader } from './main/core/terminal-host/protocol.js';",
        "export { UsageLimitWatch } from './main/core/network/usage-limit.js';",
        exists('main/core/transport/output-frames.ts') ? "export { encodeTerminalFrameParts } from './main/core/transport/terminal-frame.js';" : '',
      ].join('\n'),
      resolveDir: checkout,
      loader: 'ts',
      sourcefile: `daemon-stages-${tag}.ts`,
    },
    outfile,
  });
  return import(pathToFileURL(outfile).href);
}

const { OutputBatcher, TerminalMirror, ScrollbackIndex } = await loadAgents();
const checkouts = [...(process.env.BASELINE_ROOT ? [['before', path.resolve(process.env.BASELINE_ROOT)]] : []), ['this', root]];
const daemons = [];
for (const [tag, checkout] of checkouts) daemons.push({ tag, ...(await loadDaemon(checkout, tag)) });

// The flood fixture's bytes, cut like pty reads (4 KB); and the same lines coloured as many tools print them.
const pad = 'x'.repeat(Math.max(0, width - 8));
let all = '';
let coloured = '';
for (let n = 1; n <= lines; n++) {
  all += `L${String(n).padStart(6, '0')} ${pad}\r\n`;
  coloured += `\x1b[32mL${String(n).padStart(6, '0')}\x1b[0m ${pad}\r\n`;
}
const cut = (text, size) => {
  const out = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
};
const reads = cut(all, 4096);
const size = mb(all.length);

const chunks = [];
const batchStart = performance.now();
const batcher = new OutputBatcher((data) => chunks.push(data));
for (const read of reads) batcher.push(read);
batcher.flush();
const batchMs = performance.now() - batchStart;
const colouredChunks = cut(coloured, Math.max(...chunks.map((c) => c.length)));

function cpuOf(run) {
  if (globalThis.gc) globalThis.gc();
  const cpu = process.cpuUsage();
  const start = performance.now();
  run();
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000, wall };
}

async function timed(label, run) {
  if (globalThis.gc) globalThis.gc();
  const cpu = process.cpuUsage();
  const start = performance.now();
  await run();
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  console.log(`${label.padEnd(52)} ${fmt(cpuMs / size, 1).padStart(6)} ms CPU/MB  (${fmt(size / (wall / 1000))} MB/s on one core)`);
  return cpuMs / size;
}

/** A daemon stage per MB, for each checkout; the first run of each warms it up. */
function perMb(label, run) {
  const out = {};
  for (const d of daemons) {
    run(d);
    const { cpuMs, wall } = cpuOf(() => run(d));
    out[d.tag] = cpuMs / size;
    console.log(`${`${label}${daemons.length > 1 ? ` [${d.tag}]` : ''}`.padEnd(52)} ${fmt(cpuMs / size, 1).padStart(6)} ms CPU/MB  (${fmt(size / (wall / 1000))} MB/s on one core)`);
  }
  return out;
}

console.log(`flood: ${lines} lines × ${width} chars = ${fmt(size)} MB in ${chunks.length} chunks of ≤ ${fmt(Math.max(...chunks.map((c) => c.length)) / 1024, 0)} KB  (load average ${os.loadavg().map((l) => fmt(l, 2)).join(' ')})`);
console.log(`${'batcher (4 KB reads joined into chunks)'.padEnd(52)} ${fmt(batchMs / size, 1).padStart(6)} ms wall/MB`);
const sums = Object.fromEntries(daemons.map((d) => [d.tag, 0]));
const add = (figures) => {
  for (const [tag, value] of Object.entries(figures)) sums[tag] += value;
};
const mirrorMs = await timed('headless mirror (xterm parse, 10,000 lines)', async () => {
  const mirror = new TerminalMirror({ cols: 120, rows: 40, scrollback: 10_000 });
  chunks.forEach((data, i) => mirror.write({ seq: i + 1, data }));
  await mirror.flush();
  mirror.dispose();
});
add(Object.fromEntries(daemons.map((d) => [d.tag, mirrorMs])));
if (daemons.at(-1).RelayParser.prototype && 'linesSkipped' in daemons.at(-1).RelayParser.prototype) {
  perMb('relay parser, every character scanned (before)', (d) => {
    const parser = new d.RelayParser({ cols: 120, rows: 40, skipPlainLines: false });
    for (const data of chunks) parser.push(data);
  });
}
add(
  perMb('relay parser (plain flood)', (d) => {
    const parser = new d.RelayParser({ cols: 120, rows: 40 });
    for (const data of chunks) parser.push(data);
  }),
);
perMb('relay parser (coloured flood; not in the sum)', (d) => {
  const parser = new d.RelayParser({ cols: 120, rows: 40 });
  for (const data of colouredChunks) parser.push(data);
});
add(
  perMb('terminal.output binary frame (UTF-8)', (d) => {
    chunks.forEach((data, seq) => d.encodeTerminalFrame('Flood', seq, data));
  }),
);
const passThrough = daemons.filter((d) => d.encodeTerminalFrameParts);
if (passThrough.length) {
  // The same frame built from the host's bytes (copied, not encoded again), as the daemon now does.
  const bytes = chunks.map((data) => Buffer.from(data, 'utf8'));
  for (const d of passThrough) {
    const run = () => chunks.forEach((data, seq) => d.encodeTerminalFrameParts('Flood', seq, data.length, bytes[seq].length, [bytes[seq]]));
    run();
    const { cpuMs, wall } = cpuOf(run);
    console.log(`${`  … from the host's bytes (pass-through)${daemons.length > 1 ? ` [${d.tag}]` : ''}`.padEnd(52)} ${fmt(cpuMs / size, 1).padStart(6)} ms CPU/MB  (${fmt(size / (wall / 1000))} MB/s on one core)`);
  }
}
perMb('host → daemon binary frame, decode (not in the sum)', (d) => {
  const frames = perMb.frames ?? (perMb.frames = chunks.map((data, seq) => d.encodeOutputFrame('Flood', seq, data)));
  const reader = new d.WireReader(() => undefined, () => undefined, (error) => {
    throw error;
  });
  for (const frame of frames) reader.push(frame);
});
console.log('terminal host (its own process; not counted in the daemon sum):');
await timed('  search index (plain lines)', () => {
  const index = new ScrollbackIndex();
  for (const data of chunks) index.write('Flood', data);
});
for (const d of daemons) console.log(`${`sum${daemons.length > 1 ? ` [${d.tag}]` : ''}`.padEnd(52)} ${fmt(sums[d.tag], 1).padStart(6)} ms CPU/MB`);

// Per chunk: a spinner's redraw (test/fixtures/agents/spinner.pl), as the host's frame arrives.
const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const spins = Array.from({ length: spinnerChunks }, (_, i) => `\r\x1b[2K\x1b[38;5;174m${frames[i % 10]}\x1b[39m Thinking… \x1b[2m(${Math.floor(i / 10)}s · esc to interrupt)\x1b[22m`);
console.log(`\nper chunk: ${spinnerChunks} spinner redraws of ${spins[0].length} chars (µs of CPU per chunk)`);

function perChunk(label, run) {
  for (const d of daemons) {
    const state = run(d);
    for (let i = 0; i < Math.min(2_000, spins.length); i++) state(spins[i], i + 1);
    const { cpuMs } = cpuOf(() => {
      for (let i = 0; i < spins.length; i++) state(spins[i], i + 1);
    });
    console.log(`${`${label}${daemons.length > 1 ? ` [${d.tag}]` : ''}`.padEnd(52)} ${fmt((cpuMs * 1000) / spins.length, 2).padStart(7)} µs/chunk`);
  }
}

perChunk('host frame decode (WireReader)', (d) => {
  const reader = new d.WireReader(() => undefined, () => undefined, (error) => {
    throw error;
  });
  return (data, seq) => reader.push(d.encodeOutputFrame('Spinner', seq, data));
});
perChunk('  (the frame encode it needs, host side)', (d) => (data, seq) => d.encodeOutputFrame('Spinner', seq, data));
perChunk('relay parser', (d) => {
  const parser = new d.RelayParser({ cols: 120, rows: 40 });
  return (data) => parser.push(data);
});
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stage-costs-'));
const hubs = [];
perChunk('relay hub ingest (paste mode, acks, parser, source)', (d) => {
  const hub = d.RelayHub.open({ dataDir: fs.mkdtempSync(path.join(dataDir, 'hub-')), directory: new d.TargetDirectory(), fsync: false });
  hubs.push(hub);
  return (data, seq) => hub.ingest('Spinner', data, { stream: 'a1/123@t', seq });
});
perChunk('usage-limit watch (provider agents)', (d) => {
  const watch = new d.UsageLimitWatch(() => undefined);
  return (data) => watch.feed(data);
});
perChunk('terminal.output frame to a console', (d) => (data, seq) => d.encodeTerminalFrame('Spinner', seq, data));
for (const hub of hubs) hub.close();
fs.rmSync(dataDir, { recursive: true, force: true });
