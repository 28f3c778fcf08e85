// Relay latency: from a chunk holding a relay line reaching the parser to the injection written
// into the recipient, with many agents. Prints p50/p99/max.
//
// Run from the repository root:   node test/bench/relay-latency.mjs [agents=20] [messages=2000]
// It bundles main/core/relay/index.ts with esbuild (no tsx here) into .tmp/bench/ and imports it.
// Recipients are always idle and the post-injection settle wait is 0, so every message is delivered
// at once: the figures exclude waiting for an idle recipient, as the target in issue 4 does.
// "fsync on" is the shipped configuration (data dir in os.tmpdir(), same disk as the repository).
// The last figure is end to end through a real pty: a child process prints stamped relay lines
// (test/fixtures/relay/relay-sender.mjs) and the time is taken when the injection is written.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { bundleForBench } from './bench-bundle.mjs';
import pty from 'node-pty';

const AGENTS = Number(process.argv[2] ?? 20);
const MESSAGES = Number(process.argv[3] ?? 2000);
const root = process.cwd();
const outFile = path.join(root, '.tmp', 'bench', 'relay.mjs');

await bundleForBench({
  entryPoints: [path.join(root, 'main/core/relay/index.ts')],
  outfile: outFile,
  logLevel: 'error',
});
const { RelayHub, TargetDirectory } = await import(pathToFileURL(outFile).href);

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function noise(i) {
  let text = '';
  for (let k = 0; k < 8; k++) text += `\x1b[2m${String(i).padStart(5, '0')}\x1b[0m \x1b[36mreading src/module-${k}.ts\x1b[0m … ${'x'.repeat(80)}\r\n`;
  return text;
}

async function run(label, fsync, broadcast = false) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-bench-'));
  const sentAt = new Map();
  let latencies = [];
  const names = Array.from({ length: AGENTS }, (_, i) => `agent-${i}`);
  const directory = new TargetDirectory();
  for (const name of names) {
    directory.add({
      name,
      state: () => 'idle',
      lastHumanInputAt: () => null,
      write: (data) => {
        const key = /\bmsg-(\d+)-/.exec(data)?.[1];
        const t0 = key !== undefined ? sentAt.get(key) : undefined;
        if (t0 !== undefined) latencies.push(performance.now() - t0);
      },
      onChange: () => () => undefined,
    });
  }
  const hub = RelayHub.open({ dataDir, directory, injectionSettleMs: 0, fsync });
  const parseOnly = [];
  for (let i = 0; i < MESSAGES; i++) {
    const from = names[i % AGENTS];
    const pick = names[(i * 7 + 3) % AGENTS] === from ? names[(i * 7 + 4) % AGENTS] : names[(i * 7 + 3) % AGENTS];
    const to = broadcast ? '*' : pick;
    // Output noise first (parsed, not timed), then the chunk that completes the relay line.
    const n0 = performance.now();
    hub.ingest(from, noise(i));
    parseOnly.push(performance.now() - n0);
    sentAt.set(String(i), performance.now());
    hub.ingest(from, `\x1b[1m⏺\x1b[0m \x1b[32m->relay:${to}\x1b[0m msg-${i}- please review the change in src/module-${i % 13}.ts\r\n`);
    // Let the event loop breathe like a real daemon between pty reads.
    if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  hub.close();
  if (broadcast) {
    // Keep the latency to the last of the AGENTS-1 recipients of each broadcast.
    const last = new Map();
    latencies.forEach((v, k) => last.set(Math.floor(k / (AGENTS - 1)), v));
    latencies = [...last.values()];
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  parseOnly.sort((a, b) => a - b);
  const fmt = (v) => `${v.toFixed(3)} ms`;
  console.log(
    `${label.padEnd(10)} ${broadcast ? `to last of ${AGENTS - 1}` : 'delivered'} ${latencies.length}/${MESSAGES}  p50 ${fmt(percentile(latencies, 50))}  p99 ${fmt(percentile(latencies, 99))}  max ${fmt(latencies.at(-1))}` +
      `  | parsing 8 lines of ANSI noise: p50 ${fmt(percentile(parseOnly, 50))} p99 ${fmt(percentile(parseOnly, 99))}`,
  );
}

async function endToEnd(count = 300) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-bench-'));
  const latencies = [];
  const directory = new TargetDirectory();
  directory.add({ name: 'Alice', state: () => 'working', lastHumanInputAt: () => null, write: () => undefined, onChange: () => () => undefined });
  directory.add({
    name: 'Bob',
    state: () => 'idle',
    lastHumanInputAt: () => null,
    write: (data) => {
      const stamp = /t=(\d+\.\d+)/.exec(data)?.[1];
      if (stamp) latencies.push(performance.timeOrigin + performance.now() - Number(stamp));
    },
    onChange: () => () => undefined,
  });
  const hub = RelayHub.open({ dataDir, directory, injectionSettleMs: 0 });
  const child = pty.spawn(process.execPath, [path.join(root, 'test/fixtures/relay/relay-sender.mjs')], {
    cols: 120,
    rows: 30,
    env: { ...process.env, COUNT: String(count), GAP_MS: '10' },
  });
  child.onData((data) => hub.ingest('Alice', data));
  while (latencies.length < count) await new Promise((resolve) => setTimeout(resolve, 50));
  child.kill();
  hub.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  const fmt = (v) => `${v.toFixed(3)} ms`;
  console.log(`end to end printed in a pty → injection written (fsync on), ${count} messages: p50 ${fmt(percentile(latencies, 50))}  p99 ${fmt(percentile(latencies, 99))}  max ${fmt(latencies.at(-1))}`);
}

console.log(`relay latency, line in parser → injection written; ${AGENTS} agents, ${MESSAGES} messages, node ${process.version}`);
await run('fsync on', true);
await run('fsync off', false);
await run('broadcast', true, true);
await endToEnd();
