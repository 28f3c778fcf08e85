// Terminal throughput in a real browser console, next to its two limits, measured in one run:
//   1. raw node-pty: how fast Node reads the flood from a pseudo-terminal (no daemon, no browser);
//   2. xterm.js alone: the same bytes written straight into a Terminal in the same Chromium (the console's own limit);
//   3. the app: a flood agent in the headless daemon, its console open in Chromium (5 ms batching, WebSocket,
//      acknowledgements and flow control, the daemon's mirror), from the flood's start to its last line drawn.
// Also prints the daemon's peak RSS (VmHWM), its event-loop lag during the flood (event-loop-probe.mjs), and the
// CPU time the daemon, the flood and Chromium used meanwhile and how long their threads waited for a core (schedstat):
// on a shared machine, waiting for a core shows up as lost throughput that no profile of our code explains. Both browser runs use xterm's DOM renderer (Chromium here has no GPU),
// and end when the last line is on screen. No assertions: it prints figures and the ratio (aim: app ≥ 0.8 × xterm alone).
//
// Run: npm run build && node test/bench/terminal-throughput-browser.mjs [lines=200000] [width=100]
// Env: HEADLESS_MAIN=another build's dist/headless/main.js; DAEMON_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR" to profile the
// daemon; PAGE_PROFILE=file.cpuprofile to profile the console page's JavaScript during the flood.
/* global window, document, location, requestAnimationFrame -- the page functions run in Chromium */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pty from 'node-pty';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const lines = Number(process.argv[2] ?? 200_000);
const width = Number(process.argv[3] ?? 100);
const floodScript = path.join(root, 'test/fixtures/agents/flood.mjs');
const DONE = 'FLOOD DONE';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-gpu', '--disable-webgl', '--disable-3d-apis'];
const VIEWPORT = { width: 1280, height: 800 };

const mb = (chars) => chars / (1024 * 1024);
const fmt = (n, digits = 1) => n.toFixed(digits);
const env = () => Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined));

/** Baseline 1: the flood read straight from node-pty; also keeps the bytes for baseline 2. */
async function rawPty() {
  const chunks = [];
  let chars = 0;
  let tail = '';
  const start = performance.now();
  const child = pty.spawn(process.execPath, [floodScript, String(lines), String(width), 'stay'], { cols: 120, rows: 40, cwd: os.tmpdir(), env: env() });
  await new Promise((resolve) => {
    child.onData((data) => {
      chunks.push(data);
      chars += data.length;
      tail = (tail + data).slice(-40);
      if (tail.includes(DONE)) resolve();
    });
  });
  const seconds = (performance.now() - start) / 1000;
  child.kill('SIGKILL');
  return { chars, seconds, data: chunks.join('') };
}

async function startHost() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-bench-'));
  const main = process.env.HEADLESS_MAIN ?? path.join(root, 'dist/headless/main.js');
  if (!fs.existsSync(main)) throw new Error(`${main} is missing: run npm run build first.`);
  const nodeArgs = (process.env.DAEMON_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const probe = process.env.LAG_PROBE ?? path.join(root, 'test/bench/event-loop-probe.mjs');
  const child = spawn(process.execPath, [...nodeArgs, '--import', pathToFileURL(probe).href, main, 'up', '--port', '0', '--json', '--no-open', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env: { ...process.env, AGENT_RELAY_TOKEN: '', AGENT_RELAY_DATA_DIR: '' },
  });
  const line = await new Promise((resolve) => readline.createInterface({ input: child.stdout }).once('line', resolve));
  const { url } = JSON.parse(line);
  const lag = (message) => {
    child.send(message);
    return message === 'lag-report' ? new Promise((resolve) => child.once('message', (m) => resolve(m.lag))) : Promise.resolve();
  };
  return { url, pid: child.pid, dataDir, lag, stop: () => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM'))) };
}

/** The terminal host (agents' ptys and mirrors, a process of its own since issue 15), if one runs. */
function terminalHostPid(dataDir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dataDir, 'terminal-host.json'), 'utf8')).pid;
  } catch {
    return undefined;
  }
}

const peakRssMb = (pid) => {
  const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
};

/** CPU seconds used so far by every process under this one, by role (the daemon, the flood in it, Chromium). */
function cpuByRole(daemonPid, daemonDataDir) {
  const procs = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      // Time its threads were ready to run but waited for a core (other processes had them).
      let wait = 0;
      for (const task of fs.readdirSync(`/proc/${entry}/task`)) wait += Number(fs.readFileSync(`/proc/${entry}/task/${task}/schedstat`, 'utf8').split(' ')[1]) / 1e9;
      procs.set(Number(entry), { ppid: Number(fields[1]), comm, cpu: (Number(fields[11]) + Number(fields[12])) / 100, wait });
    } catch {
      // Gone meanwhile.
    }
  }
  const under = (pid, root) => {
    for (let p = pid; p > 1; p = procs.get(p)?.ppid ?? 0) if (p === root) return true;
    return false;
  };
  const roles = { daemon: 0, host: 0, flood: 0, chromium: 0, daemonWait: 0, hostWait: 0, floodWait: 0, chromiumWait: 0, chromiumBy: {} };
  const hostPid = terminalHostPid(daemonDataDir);
  const add = (role, proc) => {
    roles[role] += proc.cpu;
    roles[`${role}Wait`] += proc.wait;
  };
  for (const [pid, proc] of procs) {
    if (pid === daemonPid) add('daemon', proc);
    else if (pid === hostPid) add('host', proc);
    else if (under(pid, daemonPid)) add('flood', proc);
    else if (under(pid, process.pid) && proc.comm.startsWith('chrom')) {
      add('chromium', proc);
      const type = /--type=([a-z-]+)/.exec(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'))?.[1] ?? 'browser';
      const utility = /--utility-sub-type=([a-z.]+)/.exec(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'))?.[1];
      const key = utility ? utility.split('.').pop() : type;
      roles.chromiumBy[key] = (roles.chromiumBy[key] ?? 0) + proc.cpu;
    }
  }
  return roles;
}

const quote = (word) => `'${word.replace(/'/g, `'\\''`)}'`;

/** The app: a flood agent that starts when Enter is typed into its open console; timed until the last line shows. */
async function throughApp(browser, host) {
  const page = await browser.newPage({ viewport: VIEWPORT });
  await page.goto(host.url);
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  await page.evaluate(() => (location.hash = '#/agents'));
  await page.getByRole('button', { name: 'New agent' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New agent' });
  await dialog.getByLabel('Name').fill('Flood');
  // The shell waits for Enter, so the clock starts with the flood and not with the spawn.
  const commandLine = ['/bin/sh', '-c', 'read go; exec "$0" "$@"', process.execPath, floodScript, String(lines), String(width), 'stay'].map(quote).join(' ');
  await dialog.getByLabel('Command').fill(commandLine);
  await dialog.getByLabel('Name').press('Enter');
  await dialog.waitFor({ state: 'hidden' });
  await page.evaluate(() => (location.hash = '#/agents/Flood/console'));
  await page.locator('.xterm-rows').waitFor();
  await page.waitForTimeout(500); // attached and fitted
  const box = await page.getByTestId('terminal').boundingBox();
  await page.getByTestId('terminal').click();
  await host.lag('lag-reset');
  const cdp = process.env.PAGE_PROFILE ? await page.context().newCDPSession(page) : undefined;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
    await cdp.send('Profiler.start');
  }
  const cpuBefore = cpuByRole(host.pid, host.dataDir);
  const start = performance.now();
  await page.keyboard.press('Enter');
  await page.waitForFunction((done) => document.querySelector('.xterm-rows')?.textContent?.includes(done), DONE, { polling: 'raf', timeout: 600_000 });
  const seconds = (performance.now() - start) / 1000;
  const lag = await host.lag('lag-report');
  const cpuAfter = cpuByRole(host.pid, host.dataDir);
  if (cdp) fs.writeFileSync(process.env.PAGE_PROFILE, JSON.stringify((await cdp.send('Profiler.stop')).profile));
  const cpu = Object.fromEntries(Object.keys(cpuAfter).filter((role) => role !== 'chromiumBy').map((role) => [role, cpuAfter[role] - cpuBefore[role]]));
  cpu.chromiumBy = Object.fromEntries(Object.entries(cpuAfter.chromiumBy).map(([type, used]) => [type, used - (cpuBefore.chromiumBy[type] ?? 0)]));
  const rss = peakRssMb(host.pid);
  const hostPid = terminalHostPid(host.dataDir);
  const hostRss = hostPid ? peakRssMb(hostPid) : undefined;
  await page.close();
  return { seconds, rss, hostRss, box, lag, cpu };
}

/** Baseline 2: xterm.js alone, in a page of its own, fed the same bytes from memory, in the same box size. */
async function xtermAlone(browser, data, box) {
  const page = await browser.newPage({ viewport: VIEWPORT });
  await page.setContent(`<div id="t" style="width:${Math.floor(box.width)}px;height:${Math.floor(box.height)}px"></div>`);
  await page.addStyleTag({ path: path.join(root, 'node_modules/@xterm/xterm/css/xterm.css') });
  await page.addScriptTag({ path: path.join(root, 'node_modules/@xterm/xterm/lib/xterm.js') });
  await page.addScriptTag({ path: path.join(root, 'node_modules/@xterm/addon-fit/lib/addon-fit.js') });
  await page.evaluate(() => {
    const term = new window.Terminal({ scrollback: 10_000, fontSize: 13 });
    const fit = new window.FitAddon.FitAddon();
    term.loadAddon(fit);
    term.open(document.getElementById('t'));
    fit.fit();
    window.term = term;
    window.chunks = [];
  });
  // Handed over in slices before the clock starts (the transfer is not what is measured).
  const SLICE = 1 << 20;
  for (let i = 0; i < data.length; i += SLICE) await page.evaluate((s) => window.chunks.push(s), data.slice(i, i + SLICE));
  const seconds = await page.evaluate(
    (done) =>
      new Promise((resolve) => {
        const start = performance.now();
        // Written in pieces the size the daemon batches (tens of KB), as the console receives them.
        const PIECE = 64 * 1024;
        for (const chunk of window.chunks) for (let i = 0; i < chunk.length; i += PIECE) window.term.write(chunk.slice(i, i + PIECE));
        const check = () => (document.querySelector('.xterm-rows')?.textContent?.includes(done) ? resolve((performance.now() - start) / 1000) : requestAnimationFrame(check));
        window.term.write('', check);
      }),
    DONE,
  );
  await page.close();
  return { seconds };
}

const raw = await rawPty();
const host = await startHost();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  const app = await throughApp(browser, host);
  const alone = await xtermAlone(browser, raw.data, app.box);
  const size = mb(raw.chars);
  const rate = (seconds) => size / seconds;
  console.log(`flood: ${lines} lines × ${width} chars = ${fmt(size)} MB (console box ${Math.round(app.box.width)}×${Math.round(app.box.height)} px, DOM renderer)`);
  console.log(`raw node-pty read (Node):          ${fmt(rate(raw.seconds))} MB/s  (${fmt(raw.seconds, 2)} s)`);
  console.log(`xterm.js alone (Chromium):         ${fmt(rate(alone.seconds))} MB/s  (${fmt(alone.seconds, 2)} s)`);
  console.log(`app: pty → daemon → console:       ${fmt(rate(app.seconds))} MB/s  (${fmt(app.seconds, 2)} s)`);
  console.log(`ratio app / xterm alone:           ${fmt(alone.seconds / app.seconds, 2)}  (aim ≥ 0.80)`);
  console.log(`daemon peak RSS (VmHWM):           ${fmt(app.rss)} MB${app.hostRss === undefined ? '' : `  terminal host ${fmt(app.hostRss)} MB`}`);
  console.log(`CPU during the app's flood:         daemon ${fmt(app.cpu.daemon, 2)} s  terminal host ${fmt(app.cpu.host, 2)} s  flood process ${fmt(app.cpu.flood, 2)} s  Chromium ${fmt(app.cpu.chromium, 2)} s  (on ${os.cpus().length} cores)`);
  console.log(`  Chromium by process:              ${Object.entries(app.cpu.chromiumBy).filter(([, used]) => used >= 0.01).map(([type, used]) => `${type} ${fmt(used, 2)} s`).join('  ')}`);
  console.log(`  waiting for a core meanwhile:     daemon ${fmt(app.cpu.daemonWait, 2)} s  terminal host ${fmt(app.cpu.hostWait, 2)} s  flood process ${fmt(app.cpu.floodWait, 2)} s  Chromium ${fmt(app.cpu.chromiumWait, 2)} s  (load average ${os.loadavg()[0].toFixed(1)})`);
  console.log(`daemon event-loop lag in the flood: max ${fmt(app.lag.maxMs)} ms  p99 ${fmt(app.lag.p99Ms)} ms  mean ${fmt(app.lag.meanMs)} ms  (aim p99 < 20)`);
} finally {
  await browser.close();
  await host.stop();
  fs.rmSync(host.dataDir, { recursive: true, force: true });
}
