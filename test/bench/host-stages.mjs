// The terminal host's own per-stage costs, in process (CPU per MB and per chunk hold on a busy machine),
// each against main's version of the same code in the same run:
//   node test/bench/host-stages.mjs [baseline-ref=main]
// 1. Search index: a flood of 200,000 × 100-character lines in 64 KB chunks into one agent's index
//    (10,000 lines kept), then one search; and 20 agents × 10,000 lines: heap used by the index.
// 2. Host → daemon: 10 agents' spinner redraws (100 chunks, 10 per agent) and a flood's 64 KB chunks
//    over a real loopback socket to a reader, CPU of the host's side per chunk.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleForBench } from './bench-bundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ref = process.argv[2] ?? 'main';
const fmt = (n, d = 1) => n.toFixed(d);

async function bundle(label, files) {
  const dir = path.join(root, '.tmp/bench-host', label);
  fs.mkdirSync(dir, { recursive: true });
  const outfile = path.join(dir, 'index.mjs');
  await bundleForBench({
    stdin: { contents: files.map((f) => `export * from '${f}';`).join('\n'), resolveDir: root, loader: 'ts', sourcefile: `${label}.ts` },
    outfile,
  });
  return import(pathToFileURL(outfile).href);
}

/** main's scrollback-index.ts, checked out beside the worktree's (it imports types only). */
async function baseline() {
  const dir = path.join(root, '.tmp/bench-host/ref-src/main/core/terminal-host');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'scrollback-index.ts'), execFileSync('git', ['show', `${ref}:main/core/terminal-host/scrollback-index.ts`], { cwd: root }));
  return bundle('ref', ['./.tmp/bench-host/ref-src/main/core/terminal-host/scrollback-index.ts']);
}

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function floodChunks(lines = 200_000) {
  const chunks = [];
  let chunk = '';
  for (let i = 0; i < lines; i++) {
    chunk += `\x1b[32m${String(i).padStart(6, '0')}\x1b[0m ${'flood line with some text '.repeat(3)}${'x'.repeat(10)}\r\n`;
    if (chunk.length >= 64 * 1024) {
      chunks.push(chunk);
      chunk = '';
    }
  }
  if (chunk) chunks.push(chunk);
  return chunks;
}

function indexFlood(ScrollbackIndex, chunks) {
  const mb = chunks.reduce((a, c) => a + c.length, 0) / 1e6;
  const index = new ScrollbackIndex(() => 10_050);
  const t0 = cpu();
  for (const c of chunks) index.write('A', c);
  const t1 = cpu();
  const hits = index.search({ text: '199999 flood' }).hits;
  const t2 = cpu();
  if (hits.length !== 1 || hits[0].line !== 199_999) throw new Error(`wrong hit ${JSON.stringify(hits[0])}`);
  return { writeMsPerMb: (t1 - t0) / mb, searchMs: t2 - t1, totalMsPerMb: (t2 - t0) / mb };
}

function indexMemory(ScrollbackIndex) {
  globalThis.gc?.();
  const before = process.memoryUsage().heapUsed;
  const index = new ScrollbackIndex(() => 10_050);
  for (let a = 0; a < 20; a++) {
    let chunk = '';
    for (let i = 0; i < 10_000; i++) {
      chunk += `${String(i).padStart(6, '0')} scrollback line with some text to keep, as an agent's transcript would have ${'x'.repeat(20)}\r\n`;
      if (chunk.length > 4096) {
        index.write(`A${a}`, chunk);
        chunk = '';
      }
    }
    index.write(`A${a}`, chunk);
  }
  index.search({ text: 'nothing like this' });
  globalThis.gc?.();
  const mb = (process.memoryUsage().heapUsed - before) / 1e6;
  return { mb, keep: index };
}

const now = await bundle('now', ['./main/core/terminal-host/scrollback-index.ts']);
const old = await baseline();
const chunks = floodChunks();
console.log(`search index, flood of ${fmt(chunks.reduce((a, c) => a + c.length, 0) / 1e6)} MB in ${chunks.length} chunks, 10,000 lines kept (CPU ms per MB; search after the flood)`);
for (let round = 0; round < 3; round++) {
  for (const [label, mod] of [[ref, old], ['this tree', now]]) {
    const r = indexFlood(mod.ScrollbackIndex, chunks);
    console.log(`  ${label.padEnd(10)} write ${fmt(r.writeMsPerMb, 2).padStart(6)} ms/MB, search ${fmt(r.searchMs).padStart(5)} ms, total ${fmt(r.totalMsPerMb, 2)} ms/MB`);
  }
}
if (globalThis.gc) {
  for (const [label, mod] of [[ref, old], ['this tree', now]]) console.log(`  ${label.padEnd(10)} heap for 20 agents × 10,000 lines: ${fmt(indexMemory(mod.ScrollbackIndex).mb)} MB`);
} else console.log('  (run with node --expose-gc for the index memory)');
