// Many agents for almost nothing: the CPU and memory of the daemon and its terminal host (where the
// ptys and mirrors live) with N agents each redrawing a one-line
// spinner ten times a second (test/fixtures/agents/spinner.pl, a coloured status line as the agent
// CLIs draw it), first with no console open, then with 5 consoles attached (a WebSocket client that
// acknowledges like the page does). Also: idle agents (no output at all), and 20 agents each holding
// a 10,000-line scrollback. Runs the built headless daemon (dist/headless/main.js) as the user would.
//
// Aims (issue 14): 10 spinners with no console < 2% of one core (20 ms CPU per second); an idle agent 0;
// 20 agents × 10,000-line scrollback < 250 MB daemon RSS. No assertions: it prints figures.
//
// Run: npm run build && node test/bench/many-agents.mjs [seconds=10]
// Env: DAEMON_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR" to profile the daemon; HEADLESS_MAIN=another build's dist/headless/main.js (for a baseline in the same run, also
// BASELINE_MAIN=… to measure both, one after the other); CASES=spin10,spin50,idle10,scroll20 (also flood200000: one agent's
// flood with no console, CPU until the mirror has it); AGENT_RELAY_HOST_NODE_ARGS=… node flags for the terminal host.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const seconds = Number(process.argv[2] ?? 10);
const spinner = path.join(root, 'test/fixtures/agents/spinner.pl');
const cases = (process.env.CASES ?? 'spin10,spin50,idle10,scroll20').split(',');
const TICK = 100; // /proc/<pid>/stat counts in USER_HZ, 100 on Linux
const fmt = (n, digits = 1) => n.toFixed(digits);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function startDaemon(main) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-many-'));
  if (!fs.existsSync(main)) throw new Error(`${main} is missing: run npm run build first.`);
  const nodeArgs = (process.env.DAEMON_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, main, 'up', '--port', '0', '--json', '--no-open', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, AGENT_RELAY_TOKEN: '', AGENT_RELAY_DATA_DIR: '' },
  });
  const line = await new Promise((resolve) => readline.createInterface({ input: child.stdout }).once('line', resolve));
  const { url } = JSON.parse(line);
  const token = new URL(url).hash.replace(/^#token=/, '');
  // The agents' ptys and mirrors live in the terminal host, a process of its own started with the
  // first agent (terminal-host.json says where); with AGENT_RELAY_IN_PROCESS_AGENTS=1, in the daemon.
  let knownHostPid;
  const hostFile = path.join(dataDir, 'terminal-host.json');
  return {
    pid: child.pid,
    get hostPid() {
      if (knownHostPid === undefined && fs.existsSync(hostFile)) knownHostPid = JSON.parse(fs.readFileSync(hostFile, 'utf8')).pid;
      return knownHostPid;
    },
    url,
    token,
    stop: async () => {
      await new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM')));
      const hostPid = knownHostPid;
      if (hostPid && hostPid !== child.pid) {
        try {
          process.kill(hostPid, 'SIGTERM');
        } catch {
          // Already gone.
        }
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A client of the daemon's WebSocket, like the CLI's: calls, and terminal.output acknowledged like the page. */
async function connect(daemon) {
  const wsUrl = new URL('/ws', daemon.url.replace(/^http/, 'ws'));
  wsUrl.hash = '';
  const ws = new WebSocket(wsUrl, { headers: { Authorization: `Bearer ${daemon.token}` } });
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
  let nextId = 1;
  const pending = new Map();
  let received = 0;
  const unacked = new Map();
  const call = (method, ...args) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ type: 'call', id, method, args }));
    });
  const output = (name, data) => {
    received += data.length;
    const count = (unacked.get(name) ?? 0) + data.length;
    unacked.set(name, count);
    // The page acknowledges what xterm parsed every 64 KB; a spinner never gets there, so also on a timer.
    if (count >= 64 * 1024) {
      unacked.set(name, 0);
      void call('terminal.ack', name, count);
    }
  };
  ws.on('message', (raw, isBinary) => {
    if (isBinary) {
      // Binary terminal.output frame (main/core/transport/terminal-frame.ts): kind, f64 seq, u32 chars, u8 name length, name, UTF-8 data.
      const buf = Buffer.from(raw);
      const nameLength = buf.readUInt8(13);
      output(buf.toString('utf8', 14, 14 + nameLength), buf.toString('utf8', 14 + nameLength));
      return;
    }
    const frame = JSON.parse(String(raw));
    if (frame.type === 'event') {
      if (frame.event === 'terminal.output') output(frame.payload.name, frame.payload.data);
      return;
    }
    const waiter = pending.get(frame.id);
    pending.delete(frame.id);
    if (frame.ok) waiter?.resolve(frame.value);
    else waiter?.reject(new Error(`${frame.error.code}: ${frame.error.message}`));
  });
  const ackTimer = setInterval(() => {
    for (const [name, count] of unacked) {
      if (count === 0) continue;
      unacked.set(name, 0);
      void call('terminal.ack', name, count).catch(() => undefined);
    }
  }, 100);
  return { call, received: () => received, close: () => (clearInterval(ackTimer), ws.close()) };
}

function cpuSeconds(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICK;
}
function rssMb(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return { rss: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024, peak: Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024 };
}

/** CPU seconds per thread of the daemon, by thread name (user, system). */
function threads(pid) {
  const out = new Map();
  for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
      // DETAIL=2: each thread apart (V8's helper threads and a worker thread are all called "node").
      const comm = `${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))}${task === String(pid) ? '(main)' : process.env.DETAIL === '2' ? `#${task}` : ''}`;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const prev = out.get(comm) ?? { user: 0, system: 0 };
      out.set(comm, { user: prev.user + Number(fields[11]) / TICK, system: prev.system + Number(fields[12]) / TICK });
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

/**
 * CPU in ms per second over `seconds` of the daemon and of the terminal host (when it is a process of
 * its own), and their RSS at the end; DETAIL=1 also per thread.
 */
async function measure(daemon) {
  const pids = [daemon.pid, ...(daemon.hostPid && daemon.hostPid !== daemon.pid ? [daemon.hostPid] : [])];
  const before = pids.map(cpuSeconds);
  const threadsBefore = pids.map(threads);
  const start = performance.now();
  await sleep(seconds * 1000);
  const used = pids.map((pid, i) => cpuSeconds(pid) - before[i]);
  const wall = (performance.now() - start) / 1000;
  if (process.env.DETAIL) {
    pids.forEach((pid, i) => {
      const parts = [];
      for (const [name, t] of threads(pid)) {
        const b = threadsBefore[i].get(name) ?? { user: 0, system: 0 };
        const user = ((t.user - b.user) * 1000) / wall;
        const system = ((t.system - b.system) * 1000) / wall;
        if (user + system > 0) parts.push(`${name} ${fmt(user)}u+${fmt(system)}s`);
      }
      console.log(`    ${i === 0 ? 'daemon' : 'terminal host'} per thread (ms/s): ${parts.join(', ')}`);
    });
  }
  const mem = pids.map(rssMb);
  return {
    cpuMsPerS: (used.reduce((a, b) => a + b, 0) * 1000) / wall,
    daemonMsPerS: (used[0] * 1000) / wall,
    hostMsPerS: used.length > 1 ? (used[1] * 1000) / wall : undefined,
    rss: mem.reduce((a, m) => a + m.rss, 0),
    peak: mem.reduce((a, m) => a + m.peak, 0),
    split: mem.length > 1 ? ` = daemon ${fmt(mem[0].rss, 0)} + host ${fmt(mem[1].rss, 0)}` : '',
  };
}

const print = (label, m, extra = '') => {
  const cpuSplit = m.hostMsPerS === undefined ? '' : ` [daemon ${fmt(m.daemonMsPerS)} + host ${fmt(m.hostMsPerS)}]`;
  console.log(`${label.padEnd(38)} ${fmt(m.cpuMsPerS).padStart(6)} ms CPU/s (${fmt(m.cpuMsPerS / 10).padStart(4)}% of a core)${cpuSplit}  RSS ${fmt(m.rss, 0).padStart(4)} MB${m.split}${extra}`);
};

async function spawnAgents(client, count, args, prefix) {
  const names = [];
  for (let i = 0; i < count; i++) {
    const name = `${prefix}${i}`;
    await client.call('agents.spawn', { name, command: 'perl', args: [spinner, ...args], cols: 120, rows: 40 });
    names.push(name);
  }
  return names;
}

async function removeAgents(client, names) {
  for (const name of names) await client.call('agents.remove', name).catch(() => undefined);
}

async function run(main, label) {
  console.log(`\n${label}: ${path.relative(root, main)}  (load average ${os.loadavg().map((l) => fmt(l, 2)).join(' ')})`);
  const daemon = await startDaemon(main);
  const client = await connect(daemon);
  await sleep(1000);
  print('daemon, no agents', await measure(daemon));
  for (const which of cases) {
    const spin = /^spin(\d+)$/.exec(which);
    const idle = /^idle(\d+)$/.exec(which);
    const scroll = /^scroll(\d+)$/.exec(which);
    const flood = /^flood(\d+)$/.exec(which);
    if (spin) {
      const count = Number(spin[1]);
      const names = await spawnAgents(client, count, ['0', '10'], 'Spin');
      await sleep(2000);
      print(`${count} spinners, no console`, await measure(daemon));
      const consoles = [];
      for (const name of process.env.NO_CONSOLES ? [] : names.slice(0, 5)) {
        const viewer = await connect(daemon);
        await viewer.call('terminal.attach', name);
        consoles.push(viewer);
      }
      await sleep(1000);
      const m = await measure(daemon);
      const kb = consoles.reduce((sum, c) => sum + c.received(), 0) / 1024;
      print(`${count} spinners, 5 consoles open`, m, `  (consoles got ${fmt(kb, 0)} KB)`);
      for (const viewer of consoles) viewer.close();
      await removeAgents(client, names);
    } else if (idle) {
      const count = Number(idle[1]);
      const names = await spawnAgents(client, count, ['0', '0'], 'Idle');
      await sleep(3000);
      print(`${count} idle agents (no output)`, await measure(daemon));
      // Again: what is left once the start's garbage collection and compilation have settled.
      print(`${count} idle agents, ${seconds} s later`, await measure(daemon));
      await removeAgents(client, names);
    } else if (flood) {
      // One agent prints N × 100-character lines as fast as it can, no console: CPU of the daemon and
      // the host until the host's mirror shows the last line (what a flood costs when nobody watches).
      const lines = Number(flood[1]);
      const pids = [daemon.pid, daemon.hostPid].filter((pid, i, all) => pid && all.indexOf(pid) === i);
      const before = pids.map(cpuSeconds);
      const start = performance.now();
      const [name] = await spawnAgents(client, 1, [String(lines), '0'], 'Flood');
      // Not the screen while it floods: a screen read makes the mirror parse everything it holds at
      // once, which nothing does during a real flood. Once the agent is idle (quiet after its last
      // line), one read, which waits for the mirror to have it all.
      const last = `${String(lines).padStart(6, '0')} `;
      for (let tries = 0; tries < 1200; tries++) {
        const agent = (await client.call('agents.list')).find((a) => a.name === name);
        if (agent?.status === 'idle') break;
        await sleep(50);
      }
      const screen = await client.call('terminal.screen', name);
      if (!screen.some((line) => line.startsWith(last))) console.log('(the mirror does not show the last line: the figures below are incomplete)');
      const wall = performance.now() - start;
      const allPids = [daemon.pid, daemon.hostPid].filter((pid, i, all) => pid && all.indexOf(pid) === i);
      const used = allPids.map((pid, i) => cpuSeconds(pid) - (before[i] ?? 0));
      const mem = allPids.map(rssMb);
      console.log(
        `flood of ${lines.toLocaleString('en-US')} lines, no console`.padEnd(38) +
          ` ${fmt(wall, 0).padStart(6)} ms wall, CPU daemon ${fmt(used[0] * 1000, 0)} ms + host ${fmt((used[1] ?? 0) * 1000, 0)} ms; peak RSS daemon ${fmt(mem[0].peak, 0)} + host ${fmt(mem[1]?.peak ?? 0, 0)} MB`,
      );
      await removeAgents(client, [name]);
    } else if (scroll) {
      const count = Number(scroll[1]);
      const before = rssMb(daemon.pid).rss + (daemon.hostPid && daemon.hostPid !== daemon.pid ? rssMb(daemon.hostPid).rss : 0);
      const names = await spawnAgents(client, count, ['10000', '0'], 'Scroll');
      // Wait until every mirror has the whole scrollback (its screen shows the last line).
      for (const name of names) {
        for (let tries = 0; tries < 600; tries++) {
          const screen = await client.call('terminal.screen', name);
          if (screen.some((line) => line.startsWith('010000 '))) break;
          await sleep(100);
        }
      }
      await sleep(2000);
      const m = await measure(daemon);
      print(`${count} agents × 10,000-line scrollback`, m, `  (+${fmt(m.rss - before, 0)} MB, peak ${fmt(m.peak, 0)} MB)`);
      await removeAgents(client, names);
    }
    await sleep(1000);
  }
  client.close();
  await daemon.stop();
}

if (process.env.BASELINE_MAIN) await run(process.env.BASELINE_MAIN, 'baseline');
await run(process.env.HEADLESS_MAIN ?? path.join(root, 'dist/headless/main.js'), 'this build');
