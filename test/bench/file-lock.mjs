// What the cross-process lock costs a writer: message-log appends and audit records per second with
// the lock (as shipped) against the same writes without it, in the same run.
//   node test/bench/file-lock.mjs [count]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';

const count = Number(process.argv[2] ?? 2000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lock-bench-'));
const entry = path.join(dir, 'entry.ts');
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
fs.writeFileSync(
  entry,
  `export { withFileLockSync, withFileLock } from ${JSON.stringify(path.join(root, 'main/core/base/file-lock.ts'))};\n`,
);
const out = path.join(dir, 'lock.mjs');
await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'silent', banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" } });
const { withFileLockSync, withFileLock } = await import(out);

const line = `${JSON.stringify({ t: 'status', id: '0123456789abcdef', recipient: 'bob', status: 'delivered', ts: Date.now() })}\n`;
function appends(locked, fsync) {
  const file = path.join(dir, `log-${locked}-${fsync}.jsonl`);
  const fd = fs.openSync(file, 'a', 0o600);
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i += 1) {
    if (locked) withFileLockSync(file, () => fs.writeSync(fd, line));
    else fs.writeSync(fd, line);
    if (fsync) fs.fsyncSync(fd);
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  fs.closeSync(fd);
  return { ms, perSecond: Math.round((count / ms) * 1000) };
}
async function asyncSections(locked) {
  const file = path.join(dir, 'vault.bin');
  const started = process.hrtime.bigint();
  for (let i = 0; i < count / 4; i += 1) {
    if (locked) await withFileLock(file, () => fs.writeFileSync(file, line));
    else fs.writeFileSync(file, line);
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { ms, perSecond: Math.round((count / 4 / ms) * 1000) };
}

const rows = [];
for (const fsync of [false, true]) {
  const bare = appends(false, fsync);
  const locked = appends(true, fsync);
  rows.push({ case: `append ${fsync ? 'with' : 'without'} fsync`, bare: bare.perSecond, locked: locked.perSecond, ratio: (locked.perSecond / bare.perSecond).toFixed(2) });
}
const bareAsync = await asyncSections(false);
const lockedAsync = await asyncSections(true);
rows.push({ case: 'async write section', bare: bareAsync.perSecond, locked: lockedAsync.perSecond, ratio: (lockedAsync.perSecond / bareAsync.perSecond).toFixed(2) });
console.log(`${count} writes per case (per second; ratio = locked / bare)`);
console.table(rows);
fs.rmSync(dir, { recursive: true, force: true });
