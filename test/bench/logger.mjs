// How long the event loop is held per log line: the logger as the daemons use it (pino, non-blocking
// file), the same logger writing synchronously (CLI commands, tests), and the baseline of the logger it
// replaced (redact, then fs.appendFileSync per line: open, write, close). Prints µs per line and ratios.
// Run: node test/bench/logger.mjs [LINES]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleForBench } from './bench-bundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const lines = Number(process.argv[2] ?? 20_000);
const outfile = path.join(root, '.tmp/bench/logger.mjs');
await bundleForBench({
  stdin: {
    contents: "export * from './main/core/logging/logger.js'; export * from './main/core/logging/redact.js';",
    resolveDir: root,
    loader: 'ts',
  },
  outfile,
});
const { createLogger, redact, LOG_FILE } = await import(pathToFileURL(outfile).href);

const fields = { agent: 'Alice', provider: 'anthropic', token: 'sk-ant-oat01-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789', attempt: 3 };

/** The replaced logger's write path, for the baseline. */
function appendSyncLogger(dir) {
  const file = path.join(dir, LOG_FILE);
  return {
    info(message, f) {
      const line = redact(`${new Date().toISOString()} INFO  [app] ${message} ${Object.entries(f).map(([k, v]) => `${k}=${v}`).join(' ')}`);
      fs.appendFileSync(file, `${line}\n`, { mode: 0o600 });
    },
  };
}

async function measure(label, make) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logger-bench-'));
  const logger = make(dir);
  for (let i = 0; i < 500; i++) logger.info('warm up', fields);
  const start = process.hrtime.bigint();
  for (let i = 0; i < lines; i++) logger.info('refreshed credentials', fields);
  const heldNs = Number(process.hrtime.bigint() - start);
  // Until every line is on disk (the async one finishes off the loop).
  const file = path.join(dir, LOG_FILE);
  const expected = lines + 500;
  const count = () => fs.readFileSync(file, 'utf8').split('\n').length - 1;
  while (count() < expected) await new Promise((resolve) => setTimeout(resolve, 20));
  const text = fs.readFileSync(file, 'utf8');
  if (text.includes(fields.token)) throw new Error(`${label}: a secret reached the file`);
  fs.rmSync(dir, { recursive: true, force: true });
  return { label, usPerLine: heldNs / lines / 1000 };
}

// Rounds interleaved, median per variant: the machine is shared, single runs wander.
const variants = [
  ['baseline: redact + appendFileSync per line (the replaced logger)', appendSyncLogger],
  ['pino, synchronous file (CLI, tests)', (dir) => createLogger({ dir, console: false, sync: true })],
  ['pino, non-blocking file (daemons)', (dir) => createLogger({ dir, console: false, sync: false })],
];
const rounds = Number(process.env.ROUNDS ?? 5);
const samples = variants.map(() => []);
for (let round = 0; round < rounds; round++) {
  for (const [index, [label, make]] of variants.entries()) samples[index].push((await measure(label, make)).usPerLine);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const medians = samples.map(median);
console.log(`${lines} lines × ${rounds} rounds, event loop held per line (median):`);
for (const [index, [label]] of variants.entries()) {
  console.log(`  ${medians[index].toFixed(2).padStart(7)} µs  ${(medians[0] / medians[index]).toFixed(2).padStart(5)}× the baseline's speed  ${label}`);
}
// Of that, redaction alone (a dozen token-shape patterns over each line):
const sample = `{"level":"info","time":"${new Date().toISOString()}","scope":"app","agent":"Alice","provider":"anthropic","token":"${fields.token}","attempt":3,"msg":"refreshed credentials"}`;
const redactStart = process.hrtime.bigint();
for (let i = 0; i < lines; i++) redact(sample);
console.log(`  ${(Number(process.hrtime.bigint() - redactStart) / lines / 1000).toFixed(2).padStart(7)} µs  of it is redact() on one line`);
