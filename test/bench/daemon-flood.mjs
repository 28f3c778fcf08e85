// The daemon's share of a flood, without a browser: the built headless daemon (`up`, as the user runs
// it) and its terminal host, one agent flooding (test/fixtures/agents/flood.mjs), one console on it
// over the WebSocket that acknowledges like the page (every 64 KB it received). Prints the CPU the
// daemon and the host used for the flood (/proc/<pid>/stat, so a busy machine inflates wall time
// more than these), the daemon's event-loop lag meanwhile (event-loop-probe.mjs), and the WebSocket
// frames the console got for the chunks (seq).
//
// Run: node scripts/build.mjs --quiet && node test/bench/daemon-flood.mjs [lines=200000] [width=100] [runs=2]
// Env: BASELINE_MAIN=another build's dist/headless/main.js: measured too, runs alternating, same process;
//      DAEMON_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR" to profile the daemon.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import WebSocket from 'ws';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const lines = Number(process.argv[2] ?? 200_000);
const width = Number(process.argv[3] ?? 100);
const runs = Number(process.argv[4] ?? 2);
const flood = path.join(root, 'test/fixtures/agents/flood.mjs');
const TICK = 100;
const fmt = (n, digits = 2) => n.toFixed(digits);

const cpuSeconds = (pid) => {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICK;
  } catch {
    return 0;
  }
};

async function once(main) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-flood-'));
  const nodeArgs = (process.env.DAEMON_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const probe = path.join(root, 'test/bench/event-loop-probe.mjs');
  const child = spawn(process.execPath, [...nodeArgs, '--import', pathToFileURL(probe).href, main, 'up', '--port', '0', '--json', '--no-open', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env: { ...process.env, AGENT_RELAY_TOKEN: '', AGENT_RELAY_DATA_DIR: '' },
  });
  const { url } = JSON.parse(await new Promise((resolve) => readline.createInterface({ input: child.stdout }).once('line', resolve)));
  const token = new URL(url).hash.replace(/^#token=/, '');
  const wsUrl = new URL('/ws', url.replace(/^http/, 'ws'));
  wsUrl.hash = '';
  const ws = new WebSocket(wsUrl, { headers: { Authorization: `Bearer ${token}` } });
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
  let nextId = 1;
  const pending = new Map();
  const call = (method, ...args) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ type: 'call', id, method, args }));
    });
  let frames = 0;
  let unacked = 0;
  let tail = '';
  let lastSeq = 0;
  let done;
  const finished = new Promise((resolve) => (done = resolve));
  ws.on('message', (raw, isBinary) => {
    if (isBinary) {
      const buf = Buffer.from(raw);
      const nameLength = buf.readUInt8(13);
      const chars = buf.readUInt32LE(9);
      lastSeq = buf.readDoubleLE(1);
      frames += 1;
      tail = (tail + buf.toString('latin1', Math.max(14 + nameLength, buf.length - 64))).slice(-64);
      unacked += chars;
      if (unacked >= 64 * 1024) {
        void call('terminal.ack', 'Flood', unacked);
        unacked = 0;
      }
      if (tail.includes('FLOOD DONE')) done();
      return;
    }
    const frame = JSON.parse(String(raw));
    if (frame.type !== 'reply') return;
    const waiter = pending.get(frame.id);
    pending.delete(frame.id);
    if (frame.ok) waiter?.resolve(frame.value);
    else waiter?.reject(new Error(`${frame.error.code}: ${frame.error.message}`));
  });
  const hostFile = path.join(dataDir, 'terminal-host.json');
  await call('agents.spawn', { name: 'Flood', command: process.execPath, args: [flood, String(lines), String(width), 'stay'], cols: 120, rows: 40 });
  const hostPid = JSON.parse(fs.readFileSync(hostFile, 'utf8')).pid;
  // Attach at once: the flood starts as the agent does, the console follows from its snapshot.
  const snapshot = await call('terminal.attach', 'Flood');
  const ackTimer = setInterval(() => {
    if (unacked > 0) void call('terminal.ack', 'Flood', unacked).catch(() => undefined);
    unacked = 0;
  }, 100);
  child.send('lag-reset');
  const daemon0 = cpuSeconds(child.pid);
  const host0 = cpuSeconds(hostPid);
  const start = performance.now();
  await finished;
  const wall = (performance.now() - start) / 1000;
  const daemon = cpuSeconds(child.pid) - daemon0;
  const host = cpuSeconds(hostPid) - host0;
  child.send('lag-report');
  const { lag } = await new Promise((resolve) => child.once('message', resolve));
  clearInterval(ackTimer);
  await call('agents.remove', 'Flood').catch(() => undefined);
  ws.close();
  await new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM')));
  try {
    process.kill(hostPid, 'SIGTERM');
  } catch {
    // Gone with its last agent.
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  return { daemon, host, wall, frames, chunks: lastSeq - snapshot.seq, lag };
}

const builds = [...(process.env.BASELINE_MAIN ? [['baseline', process.env.BASELINE_MAIN]] : []), ['this build', path.join(root, 'dist/headless/main.js')]];
const size = (lines * (width + 2)) / 1024 / 1024;
console.log(`flood: ${lines} lines × ${width} chars = ${fmt(size, 1)} MB, one acknowledging console (load average ${os.loadavg().map((l) => fmt(l)).join(' ')})`);
for (let r = 0; r < runs; r++) {
  for (const [label, main] of builds) {
    const m = await once(main);
    console.log(
      `${label.padEnd(11)} daemon ${fmt(m.daemon)} s CPU (${fmt((m.daemon * 1000) / size, 1)} ms/MB)  host ${fmt(m.host)} s  wall ${fmt(m.wall)} s  ` +
        `frames ${m.frames} for ${m.chunks} chunks  lag p99 ${fmt(m.lag.p99Ms, 1)} ms max ${fmt(m.lag.maxMs, 1)}  (load ${fmt(os.loadavg()[0])})`,
    );
  }
}
