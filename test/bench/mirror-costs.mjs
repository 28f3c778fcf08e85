// What the terminal mirror costs per MB of a flood and per small redraw, in this process (no pty, no
// worker), for main's mirror (before) and this tree's (after) in the same run. The mirror worker gets
// output in messages of up to 64 KB (mirror-thread.ts), so the floods are written in such pieces.
// Run: node test/bench/mirror-costs.mjs [lines=200000] [width=100]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const lines = Number(process.argv[2] ?? 200_000);
const width = Number(process.argv[3] ?? 100);
const base = process.env.BASE ?? 'main';

async function bundle(dir, outfile) {
  await build({
    entryPoints: [path.join(dir, 'main/core/agents/terminal-mirror.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'warning',
  });
  return import(pathToFileURL(outfile).href);
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

const pad = 'x'.repeat(Math.max(0, width - 8));
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

const fmt = (n, digits = 1) => n.toFixed(digits);

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
    // Each redraw alone, parsed before the next (a spinner's chunks come 100 ms apart).
    const figures = await cpu(async () => {
      for (let i = 0; i < count; i++) {
        mirror.write({ seq: ++seq, data: redraw(i) });
        await mirror.flush();
      }
    });
    mirror.dispose();
    console.log(`spinner   ${name.padEnd(18)} ${fmt((figures.cpuMs / count) * 1000, 0).padStart(7)} µs CPU per redraw (write + parse)`);
  }
}

console.log(`flood: ${lines} lines × ${width} chars, written in 64 KB pieces; cols 120, rows 40, scrollback 10,000`);
await floodCase('plain', flood(false));
await floodCase('coloured', flood(true));
await spinnerCase();
