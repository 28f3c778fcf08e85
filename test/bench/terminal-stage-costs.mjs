// What each stage of the daemon's output path costs per MB of a flood, on one core, with no pty and
// no browser: the same bytes through the batcher, the headless mirror, the relay parser and the
// JSON frame a console receives. On a machine whose cores are all busy (the browser parses too),
// throughput is bounded by the sum of these, so this shows which stage to make cheaper.
// Run: node test/bench/terminal-stage-costs.mjs [lines=200000] [width=100]
import { fmt, loadAgents, mb } from './terminal-bench-build.mjs';

const lines = Number(process.argv[2] ?? 200_000);
const width = Number(process.argv[3] ?? 100);
const { OutputBatcher, TerminalMirror, RelayParser, encodeTerminalFrame, ScrollbackIndex, encodeOutputFrame, WireReader } = await loadAgents();

// The flood fixture's bytes, cut like pty reads (4 KB).
const pad = 'x'.repeat(Math.max(0, width - 8));
let all = '';
for (let n = 1; n <= lines; n++) all += `L${String(n).padStart(6, '0')} ${pad}\r\n`;
const reads = [];
for (let i = 0; i < all.length; i += 4096) reads.push(all.slice(i, i + 4096));
const size = mb(all.length);

const chunks = [];
const batchStart = performance.now();
const batcher = new OutputBatcher((data) => chunks.push(data));
for (const read of reads) batcher.push(read);
batcher.flush();
const batchMs = performance.now() - batchStart;

async function timed(label, run) {
  if (globalThis.gc) globalThis.gc();
  const cpu = process.cpuUsage();
  const start = performance.now();
  await run();
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  console.log(`${label.padEnd(44)} ${fmt((cpuMs / size), 0).padStart(5)} ms CPU/MB  (${fmt(size / (wall / 1000))} MB/s on one core)`);
  return cpuMs / size;
}

console.log(`flood: ${lines} lines × ${width} chars = ${fmt(size)} MB in ${chunks.length} chunks of ≤ ${fmt(Math.max(...chunks.map((c) => c.length)) / 1024, 0)} KB`);
console.log(`${'batcher (4 KB reads joined into chunks)'.padEnd(44)} ${fmt(batchMs / size, 0).padStart(5)} ms wall/MB`);
const total = [];
total.push(
  await timed('headless mirror (xterm parse, 10,000 lines)', async () => {
    const mirror = new TerminalMirror({ cols: 120, rows: 40, scrollback: 10_000 });
    chunks.forEach((data, i) => mirror.write({ seq: i + 1, data }));
    await mirror.flush();
    mirror.dispose();
  }),
);
total.push(
  await timed('relay parser (escape scan, lines, fences)', () => {
    const parser = new RelayParser({ cols: 120, rows: 40 });
    for (const data of chunks) parser.push(data);
  }),
);
total.push(
  await timed('terminal.output binary frame (UTF-8)', () => {
    let bytes = 0;
    chunks.forEach((data, seq) => {
      bytes += encodeTerminalFrame('Flood', seq, data).length;
    });
    return bytes;
  }),
);
console.log('terminal host (its own process; not counted in the daemon sum):');
await timed('  search index (plain lines)', () => {
  const index = new ScrollbackIndex();
  for (const data of chunks) index.write('Flood', data);
});
await timed('  host → daemon binary frame, encode + decode', () => {
  let chars = 0;
  const reader = new WireReader(() => undefined, (frame) => (chars += frame.data.length), (error) => { throw error; });
  chunks.forEach((data, seq) => reader.push(encodeOutputFrame('Flood', seq, data)));
  return chars;
});
await timed('  host → daemon JSON line, encode + decode (before)', () => {
  let chars = 0;
  chunks.forEach((data, seq) => {
    const line = Buffer.from(`${JSON.stringify({ t: 'out', name: 'Flood', seq, data })}\n`);
    chars += JSON.parse(line.toString('utf8', 0, line.length - 1)).data.length;
  });
  return chars;
});
console.log('  (what the JSON frame it replaced cost, not counted in the sum:)');
await timed('  terminal.output JSON frame (before)', () => {
    let bytes = 0;
    chunks.forEach((data, seq) => {
      bytes += Buffer.byteLength(JSON.stringify({ type: 'event', event: 'terminal.output', payload: { name: 'Flood', seq, data } }));
    });
    return bytes;
  });
console.log(`${'sum'.padEnd(44)} ${fmt(total.reduce((a, b) => a + b, 0), 0).padStart(5)} ms CPU/MB`);
