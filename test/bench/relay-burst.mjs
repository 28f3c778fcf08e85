// Relay bursts into one recipient, end to end through real ptys and the daemon's agent network
// (AgentHost status detection, the relay parser, router and message log with fsync):
// Alice prints N `->relay:Bob …` lines as fast as she can; the time is taken when Bob, a real
// interactive program (test/fixtures/relay/bob.mjs), has read the last of them (its BOB_LOG file).
//
// Run from the repository root:   node test/bench/relay-burst.mjs [300,1000]
// It bundles main/core/network/agent-network.ts with esbuild into .tmp/bench/ and imports it.
// Baseline in the same run: one message per injection (maxBatch 1), as the relay did before bursts;
// it is stopped after BASELINE_CAP_S seconds and reported as messages/s so far.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { bundleForBench } from './bench-bundle.mjs';

const COUNTS = (process.argv[2] ?? '300,1000').split(',').map(Number);
const BASELINE_CAP_S = Number(process.env.BASELINE_CAP_S ?? 20);
const root = process.cwd();
const outFile = path.join(root, '.tmp', 'bench', 'agent-network.mjs');
const fixtures = path.join(root, 'test', 'fixtures', 'relay');

await bundleForBench({
  entryPoints: [path.join(root, 'main/core/network/agent-network.ts')],
  outfile: outFile,
  logLevel: 'error',
});
const { AgentNetwork } = await import(pathToFileURL(outFile).href);
const quiet = { debug() {}, info() {}, warn() {}, error() {}, child() { return quiet; } };

function readCount(file) {
  try {
    return fs.readFileSync(file, 'utf8').split('Relay message from Alice').length - 1;
  } catch {
    return 0;
  }
}

async function until(check, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

async function run(count, relay, capMs) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-burst-'));
  const bobLog = path.join(dataDir, 'bob-read.txt');
  const network = new AgentNetwork({ dataDir, logger: quiet, scrollback: () => 1000, defaultCwd: dataDir, onAgentsChanged() {}, onRelayMessage() {}, relay });
  try {
    await network.spawn({ name: 'Bob', command: process.execPath, args: [path.join(fixtures, 'bob.mjs')], env: { BOB_LOG: bobLog } });
    await until(() => network.list().find((a) => a.name === 'Bob')?.status === 'idle', 15_000);
    const lines = JSON.stringify(Array.from({ length: count }, (_, i) => `->relay:Bob task ${i}: ${'do the thing '.repeat(2)}\r\n`));
    const t0 = performance.now();
    await network.spawn({ name: 'Alice', command: process.execPath, args: [path.join(fixtures, 'alice.mjs')], env: { RELAY_LINES: lines } });
    const done = await until(() => readCount(bobLog) >= count, capMs);
    const seconds = (performance.now() - t0) / 1000;
    const got = readCount(bobLog);
    const injections = fs.existsSync(bobLog) ? fs.readFileSync(bobLog, 'utf8').trimEnd().split('\n').length : 0;
    return { done, seconds, got, injections, rate: got / seconds };
  } finally {
    await network.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const rows = [];
for (const count of COUNTS) {
  const burst = await run(count, {}, 120_000);
  const base = await run(count, { maxBatch: 1 }, BASELINE_CAP_S * 1000);
  rows.push({ count, burst, base });
  const fmt = (r) => `${r.done ? `all ${r.got} in ${r.seconds.toFixed(2)} s` : `${r.got} of ${count} in ${r.seconds.toFixed(1)} s (stopped)`}, ${r.rate.toFixed(1)} msg/s, ${r.injections} injections`;
  console.log(`${count} messages into one recipient`);
  console.log(`  bursts (one injection per batch): ${fmt(burst)}`);
  console.log(`  baseline (one per injection):     ${fmt(base)}`);
  console.log(`  speed-up: ${(burst.rate / base.rate).toFixed(1)}x messages/s`);
}
process.exit(0);
