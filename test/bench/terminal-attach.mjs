// Attach: time to return the snapshot of a full 10,000-line scrollback (serialize of the headless
// mirror), for a bare mirror and for a running agent whose output filled it.
// Run: node test/bench/terminal-attach.mjs [runs=20]
import os from 'node:os';
import path from 'node:path';
import { mirrorOptions, env, fixturesDir, fmt, loadAgents } from './terminal-bench-build.mjs';

const runs = Number(process.argv[2] ?? 20);
const { AgentHost, TerminalMirror, normalizeAgentSpec } = await loadAgents();

function summary(times) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `median ${fmt(at(0.5))} ms  p90 ${fmt(at(0.9))} ms  max ${fmt(sorted[sorted.length - 1])} ms`;
}

// 1. A mirror with 10,000 lines (cold: first snapshot serializes everything; then blocks are reused) of coloured scrollback plus a screen.
const mirror = new TerminalMirror({ cols: 120, rows: 40, scrollback: 10_000 });
let data = '';
for (let n = 1; n <= 10_100; n++) data += `\x1b[3${n % 8}mL${String(n).padStart(6, '0')}\x1b[0m ${'word '.repeat(18)}\r\n`;
mirror.write({ seq: 1, data });
await mirror.flush();
const coldStart = performance.now();
await mirror.snapshot();
console.log(`mirror, first snapshot of 10,000 lines (nothing cached): ${fmt(performance.now() - coldStart)} ms`);
const bare = [];
const repeat = [];
let size = 0;
for (let i = 0; i < runs; i++) {
  // One more character of output, so each first snapshot is serialized afresh.
  mirror.write({ seq: i + 2, data: '.' });
  await mirror.flush();
  let start = performance.now();
  const snapshot = await mirror.snapshot();
  bare.push(performance.now() - start);
  size = snapshot.data.length;
  start = performance.now();
  await mirror.snapshot();
  repeat.push(performance.now() - start);
}
console.log(`mirror, 10,000 lines of scrollback (${fmt(size / 1024 / 1024, 2)} MB serialized): ${summary(bare)}`);
console.log(`  same, nothing changed since the last snapshot (cached): ${summary(repeat)}`);
mirror.dispose();

// 2. A running agent whose flood filled the scrollback: attach() → snapshot.
const spec = normalizeAgentSpec({
  name: 'bench',
  command: process.execPath,
  args: [path.join(fixturesDir, 'flood.mjs'), '20000', '100', 'stay'],
  cwd: os.tmpdir(),
  cols: 120,
  rows: 40,
});
const started = AgentHost.start(spec.value, { baseEnv: env(), killGraceMs: 200, ...mirrorOptions() });
if (!started.ok) throw started.error;
const host = started.value;
await new Promise((resolve) => {
  let tail = '';
  host.onOutput((chunk) => {
    tail = (tail + chunk.data).slice(-40);
    if (tail.includes('FLOOD DONE')) resolve();
  });
});
await host.screenText();
let start = performance.now();
const cold = await host.attach({ data: () => undefined });
console.log(`agent attach() right after a 20,000-line flood (nothing cached yet): ${fmt(performance.now() - start)} ms`);
cold.detach();
const attached = [];
for (let i = 0; i < runs; i++) {
  // A keystroke echoed by the pty makes new output, so every attach serializes afresh.
  const seq = host.flowStats.lastSeq;
  host.input('x');
  while (host.flowStats.lastSeq === seq) await new Promise((resolve) => setTimeout(resolve, 2));
  start = performance.now();
  const attachment = await host.attach({ data: () => undefined });
  attached.push(performance.now() - start);
  attachment.detach();
}
console.log(`agent attach() after a 20,000-line flood, one keystroke echoed before each: ${summary(attached)}`);
await host.dispose();
