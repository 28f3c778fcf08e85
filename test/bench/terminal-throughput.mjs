// Terminal throughput: the raw node-pty read rate of a flood, next to the same flood through the
// agent host (5 ms batching, flow control, headless mirror) with no console and with a console that
// acknowledges at once; peak RSS and event-loop lag of this process for each.
// Run: node test/bench/terminal-throughput.mjs [lines=200000] [width=100]
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pty from 'node-pty';
import { mirrorOptions, env, fixturesDir, fmt, loadAgents, mb, rssSampler } from './terminal-bench-build.mjs';

const lines = Number(process.argv[2] ?? 200_000);
const width = Number(process.argv[3] ?? 100);
const flood = [path.join(fixturesDir, 'flood.mjs'), String(lines), String(width), 'stay'];
const { AgentHost, normalizeAgentSpec } = await loadAgents();

function lagMonitor() {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  return () => {
    h.disable();
    return { max: h.max / 1e6, p99: h.percentile(99) / 1e6 };
  };
}

async function rawRate() {
  const stopRss = rssSampler();
  const stopLag = lagMonitor();
  const start = performance.now();
  let chars = 0;
  let tail = '';
  const child = pty.spawn(process.execPath, flood, { cols: 120, rows: 40, cwd: os.tmpdir(), env: env() });
  await new Promise((resolve) => {
    child.onData((d) => {
      chars += d.length;
      tail = (tail + d).slice(-40);
      if (tail.includes('FLOOD DONE')) resolve();
    });
  });
  const seconds = (performance.now() - start) / 1000;
  child.kill('SIGKILL');
  return { chars, seconds, rss: stopRss(), lag: stopLag() };
}

async function throughHost(withConsole) {
  const spec = normalizeAgentSpec({ name: 'bench', command: process.execPath, args: flood, cwd: os.tmpdir(), cols: 120, rows: 40 });
  const stopRss = rssSampler();
  const stopLag = lagMonitor();
  const start = performance.now();
  const started = AgentHost.start(spec.value, { baseEnv: env(), killGraceMs: 200, ...mirrorOptions() });
  if (!started.ok) throw started.error;
  const host = started.value;
  let consoleChars = 0;
  if (withConsole) {
    const attachment = await host.attach({
      data: (chunk) => {
        consoleChars += chunk.data.length;
        attachment.ack(chunk.data.length);
      },
    });
    attachment.start();
  }
  let chars = 0;
  let tail = '';
  await new Promise((resolve) => {
    host.onOutput((chunk) => {
      chars += chunk.data.length;
      tail = (tail + chunk.data).slice(-40);
      if (tail.includes('FLOOD DONE')) resolve();
    });
  });
  // Parsed by the mirror, not merely read.
  await host.screenText();
  const seconds = (performance.now() - start) / 1000;
  const stats = host.flowStats;
  await host.dispose();
  return { chars, seconds, rss: stopRss(), lag: stopLag(), pauses: stats.pauses, consoleChars };
}

async function mirrorAlone() {
  const { TerminalMirror } = await loadAgents();
  const pad = 'x'.repeat(Math.max(0, width - 8));
  const blocks = [];
  let block = '';
  for (let n = 1; n <= lines; n++) {
    block += `L${String(n).padStart(6, '0')} ${pad}\r\n`;
    if (block.length >= 32 * 1024) {
      blocks.push(block);
      block = '';
    }
  }
  blocks.push(`${block}FLOOD DONE\r\n`);
  const mirror = new TerminalMirror({ cols: 120, rows: 40 });
  const stopRss = rssSampler();
  const stopLag = lagMonitor();
  const start = performance.now();
  let chars = 0;
  blocks.forEach((data, i) => {
    chars += data.length;
    mirror.write({ seq: i + 1, data });
  });
  await mirror.flush();
  const seconds = (performance.now() - start) / 1000;
  mirror.dispose();
  return { chars, seconds, rss: stopRss(), lag: stopLag() };
}

const report = (label, r) =>
  console.log(
    `${label.padEnd(38)} ${fmt(mb(r.chars) / r.seconds).padStart(7)} MB/s  ${fmt(mb(r.chars))} MB in ${fmt(r.seconds, 2)} s  ` +
      `peak RSS ${fmt(r.rss)} MB  loop lag max ${fmt(r.lag.max)} ms p99 ${fmt(r.lag.p99)} ms` +
      (r.pauses !== undefined ? `  pauses ${r.pauses}` : ''),
  );

console.log(`flood: ${lines} lines of ${width} chars (${fmt(mb(lines * (width + 2)))} MB), node ${process.version}, ${os.cpus().length} cores`);
report('headless xterm alone (no pty)', await mirrorAlone());
report('raw node-pty read', await rawRate());
report('host: batcher + mirror, no console', await throughHost(false));
report('host: batcher + mirror + acking console', await throughHost(true));
