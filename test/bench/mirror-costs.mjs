// What the terminal mirror costs per MB of a flood and per small redraw, in this process (no pty, no
// worker), for main's mirror (before) and this tree's (after) in the same run. The mirror worker gets
// output in messages of up to 64 KB (mirror-thread.ts), so the floods are written in such pieces.
// Run: node test/bench/mirror-costs.mjs [lines=200000] [width=100]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleForBench } from './bench-bundle.mjs';

const child = process.argv[2] === '--memory-child';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const lines = Number((child ? undefined : process.argv[2]) ?? 200_000);
const width = Number((child ? undefined : process.argv[3]) ?? 100);
const base = process.env.BASE ?? 'main';

async function bundle(dir, outfile) {
  await bundleForBench({
    entryPoints: [path.join(dir, 'main/core/agents/terminal-mirror.ts')],
    outfile,
  });
  return import(pathToFileURL(outfile).href);
}

const fmt = (n, digits = 1) => n.toFixed(digits);
const pad = 'x'.repeat(Math.max(0, width - 8));
if (child) {
  if (process.argv[5] === 'flood') await floodChild(process.argv[3], JSON.parse(process.argv[4]));
  else await memoryChild(process.argv[3], JSON.parse(process.argv[4]));
  process.exit(0);
}

// main's mirror: its files from git, bundled the same way.
const beforeDir = path.join(root, '.tmp/bench/mirror-before');
for (const file of ['terminal-mirror.ts', 'snapshot-serializer.ts', 'listener-set.ts']) {
  const target = path.join(beforeDir, 'main/core/agents', file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, execFileSync('git', ['show', `${base}:main/core/agents/${file}`], { cwd: root }));
}
const before = await bundle(beforeDir, path.join(root, '.tmp/bench/mirror-before.mjs'));
const after = await bundle(root, path.join(root, '.tmp/bench/mirror-after.mjs'));

function flood(coloured) {
  let all = '';
  for (let n = 1; n <= lines; n++) {
    const number = String(n).padStart(6, '0');
    all += coloured ? `\x1b[3${n % 8}mL${number}\x1b[0m \x1b[1m${pad.slice(0, 20)}\x1b[22m${pad.slice(20)}\r\n` : `L${number} ${pad}\r\n`;
  }
  return all;
}
function pieces(all, size = 64 * 1024) {
  const out = [];
  for (let i = 0; i < all.length; i += size) out.push(all.slice(i, i + size));
  return out;
}

async function cpu(run) {
  if (globalThis.gc) globalThis.gc();
  const start = process.cpuUsage();
  const wall = performance.now();
  await run();
  const used = process.cpuUsage(start);
  return { cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - wall };
}


async function floodCase(label, data) {
  const mb = data.length / 1e6;
  const chunks = pieces(data);
  const results = [];
  for (const [name, lib, options] of [
    ['before', before, {}],
    ['after, full parse', after, { fastForward: false }],
    ['after', after, {}],
  ]) {
    let mirror;
    const figures = await cpu(async () => {
      mirror = new lib.TerminalMirror({ cols: 120, rows: 40, scrollback: 10_000, ...options });
      chunks.forEach((chunk, i) => mirror.write({ seq: i + 1, data: chunk }));
      await mirror.flush();
    });
    const attach = await cpu(() => mirror.snapshot());
    const skipped = mirror.fastForwarded ? ` skipped ${fmt((mirror.fastForwarded.chars / data.length) * 100, 0)}%` : '';
    mirror.dispose();
    results.push(figures.cpuMs);
    console.log(`${label.padEnd(9)} ${name.padEnd(18)} ${fmt(figures.cpuMs / mb).padStart(7)} ms CPU/MB  ${fmt(figures.cpuMs, 0).padStart(6)} ms CPU in all  attach ${fmt(attach.cpuMs, 0)} ms${skipped}`);
  }
  console.log(`${label.padEnd(9)} after / before: ${fmt(results[2] / results[0], 3)}`);
}

async function spinnerCase() {
  // One redraw of the spinner fixture's status line, as one message (test/fixtures/agents/spinner.pl).
  const frames = [0x280b, 0x2819, 0x2839, 0x2838, 0x283c, 0x2834, 0x2826, 0x2827, 0x2807, 0x280f].map((c) => String.fromCharCode(c));
  const redraw = (i) => `\r\x1b[2K\x1b[38;5;174m${frames[i % 10]}\x1b[39m Thinking\u2026 \x1b[2m(${Math.floor(i / 10)}s \u00b7 esc to interrupt)\x1b[22m`;
  const count = 5_000;
  for (const [name, lib] of [
    ['before', before],
    ['after', after],
  ]) {
    const mirror = new lib.TerminalMirror({ cols: 120, rows: 40, scrollback: 10_000 });
    let prelude = '';
    for (let n = 1; n <= 2_000; n++) prelude += `${String(n).padStart(6, '0')} scrollback line ${pad}\r\n`;
    mirror.write({ seq: 1, data: prelude });
    await mirror.flush();
    let seq = 1;
    // Each redraw alone, parsed before the next comes (a spinner's chunks come 100 ms apart), with
    // no read in between: the mirror's own per-chunk cost.
    let parsed = () => undefined;
    mirror.onParsed(() => parsed());
    const figures = await cpu(async () => {
      for (let i = 0; i < count; i++) {
        const done = new Promise((resolve) => (parsed = resolve));
        mirror.write({ seq: ++seq, data: redraw(i) });
        await done;
      }
    });
    mirror.dispose();
    console.log(`spinner   ${name.padEnd(18)} ${fmt((figures.cpuMs / count) * 1000, 0).padStart(7)} µs CPU per redraw (write + parse, one chunk each)`);
  }
}


// Memory: 20 mirrors each holding a 10,000-line scrollback in one mirror worker (as in the terminal
// host), in a child process per variant, RSS after the mirrors have parsed everything and settled.
async function bundleWorker(dir, outfile) {
  await bundleForBench({
    entryPoints: [path.join(dir, 'main/core/agents/terminal-mirror-worker.ts')],
    outfile,
  });
  return outfile;
}

async function workerVariants() {
  for (const file of ['terminal-mirror-worker.ts', 'mirror-thread.ts', 'mirror-port.ts']) {
    const target = path.join(beforeDir, 'main/core/agents', file);
    fs.writeFileSync(target, execFileSync('git', ['show', `${base}:main/core/agents/${file}`], { cwd: root }));
  }
  const beforeWorker = await bundleWorker(beforeDir, path.join(root, '.tmp/bench/mirror-before-worker/terminal-mirror-worker.js'));
  const afterWorker = await bundleWorker(root, path.join(root, '.tmp/bench/mirror-after-worker/terminal-mirror-worker.js'));
  return [
    ['before', beforeWorker, undefined],
    ['after', afterWorker, undefined],
    ...(process.env.LIMITS ?? '12').split(',').map((mb) => [`after, young gen ${mb} MB`, afterWorker, { maxYoungGenerationSizeMb: Number(mb) }]),
  ];
}

// The plain flood through a mirror worker as the terminal host runs it: 64 KB messages, CPU of the
// whole process (the worker's parse, and the structured clone of every message).
async function workerFloodCase() {
  for (const [name, worker, limits] of await workerVariants()) {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--memory-child', worker, JSON.stringify(limits ?? null), 'flood'], { encoding: 'utf8' });
    console.log(`worker    ${name.padEnd(24)} ${out.trim()}`);
  }
}

async function floodChild(workerFile, limits) {
  const { Worker } = await import('node:worker_threads');
  const all = flood(false);
  const worker = new Worker(workerFile, limits ? { resourceLimits: limits } : {});
  // Started and idle first, so its start-up is not counted.
  const reply = () => new Promise((resolve) => worker.once('message', function on(event) {
    if (event.op === 'reply') resolve(event);
    else worker.once('message', on);
  }));
  worker.postMessage({ op: 'open', id: 1, options: { cols: 120, rows: 40, scrollback: 10_000 } });
  let answered = reply();
  worker.postMessage({ op: 'read', id: 1, req: 1, what: 'flush' });
  await answered;
  const start = process.cpuUsage();
  const wall = performance.now();
  let seq = 0;
  for (const data of pieces(all)) {
    seq += 1;
    worker.postMessage({ op: 'write', writes: [{ id: 1, firstSeq: seq, seq, data }] });
  }
  answered = reply();
  worker.postMessage({ op: 'read', id: 1, req: 2, what: 'flush' });
  await answered;
  const used = process.cpuUsage(start);
  const cpuMs = (used.user + used.system) / 1000;
  console.log(`${fmt(cpuMs / (all.length / 1e6)).padStart(6)} ms CPU/MB  ${fmt(cpuMs, 0).padStart(5)} ms CPU in all (both threads)  ${fmt(performance.now() - wall, 0)} ms wall`);
  await worker.terminate();
}

async function memoryCase() {
  for (const [name, worker, limits] of await workerVariants()) {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--memory-child', worker, JSON.stringify(limits ?? null)], { encoding: 'utf8' });
    console.log(`memory    ${name.padEnd(24)} ${out.trim()}`);
  }
}

async function memoryChild(workerFile, limits) {
  const { Worker } = await import('node:worker_threads');
  const rss0 = process.memoryUsage().rss;
  let file = workerFile;
  if (process.env.GC_AFTER) {
    // What a full GC in the worker would give back: the worker bundle behind a wrapper that calls gc().
    file = path.join(path.dirname(workerFile), 'gc-wrapper.mjs');
    fs.writeFileSync(file, `import v8 from 'node:v8';\nimport vm from 'node:vm';\nimport './terminal-mirror-worker.js';\nv8.setFlagsFromString('--expose_gc');\nconst gc = vm.runInNewContext('gc');\nsetTimeout(() => { gc(); const h = v8.getHeapStatistics(); console.log('worker heap used', (h.used_heap_size / 1e6).toFixed(1), 'total', (h.total_heap_size / 1e6).toFixed(1), 'external', (h.external_memory / 1e6).toFixed(1), 'malloced', (h.malloced_memory / 1e6).toFixed(1)); }, ${Number(process.env.GC_AFTER)});\n`);
  }
  const started = Date.now();
  const worker = new Worker(file, limits ? { resourceLimits: limits } : {});
  const replies = new Map();
  worker.on('message', (event) => {
    if (event.op === 'reply' || event.op === 'error') replies.get(event.req)?.(event);
  });
  const read = (id, req) => new Promise((resolve) => {
    replies.set(req, resolve);
    worker.postMessage({ op: 'read', id, req, what: 'flush' });
  });
  const agents = 20;
  let text = '';
  for (let n = 1; n <= 10_000; n++) text += `${String(n).padStart(6, '0')} scrollback line with some text to keep, as an agent's transcript would have ${'x'.repeat(20)}\r\n`;
  const start = process.cpuUsage();
  for (let id = 1; id <= agents; id++) {
    worker.postMessage({ op: 'open', id, options: { cols: 120, rows: 40, scrollback: 10_000 } });
    let seq = 0;
    for (let i = 0; i < text.length; i += 65_536) {
      seq += 1;
      worker.postMessage({ op: 'write', writes: [{ id, firstSeq: seq, seq, data: text.slice(i, i + 65_536) }] });
    }
  }
  for (let id = 1; id <= agents; id++) await read(id, id);
  const cpu = process.cpuUsage(start);
  await new Promise((resolve) => setTimeout(resolve, process.env.GC_AFTER ? Math.max(0, started + Number(process.env.GC_AFTER) + 1_500 - Date.now()) : 3_000));
  const rss = process.memoryUsage().rss;
  console.log(`RSS ${fmt((rss - rss0) / 1e6, 0).padStart(4)} MB more than an empty process (${fmt(rss / 1e6, 0)} MB), parse ${fmt((cpu.user + cpu.system) / 1000, 0)} ms CPU`);
  await worker.terminate();
}

const only = process.env.ONLY?.split(',');
console.log(`flood: ${lines} lines × ${width} chars, written in 64 KB pieces; cols 120, rows 40, scrollback 10,000`);
if (!only || only.includes('plain')) await floodCase('plain', flood(false));
if (!only || only.includes('coloured')) await floodCase('coloured', flood(true));
if (!only || only.includes('spinner')) await spinnerCase();
if (!only || only.includes('worker')) await workerFloodCase();
if (!only || only.includes('memory')) await memoryCase();
