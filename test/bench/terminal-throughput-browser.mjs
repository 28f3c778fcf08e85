// Terminal throughput in a real browser console, next to its two limits, measured in one run:
//   1. raw node-pty: how fast Node reads the flood from a pseudo-terminal (no daemon, no browser);
//   2. xterm.js alone: the same bytes written straight into a Terminal in the same Chromium (the console's own limit);
//   3. the app: a flood agent in the headless daemon, its console open in Chromium (5 ms batching, WebSocket,
//      acknowledgements and flow control, the daemon's mirror), from the flood's start to its last line drawn.
// Also prints the daemon's peak RSS (VmHWM), its event-loop lag during the flood (event-loop-probe.mjs), and the
// CPU time the daemon, the flood and Chromium used meanwhile and how long their threads waited for a core (schedstat):
// on a shared machine, waiting for a core shows up as lost throughput that no profile of our code explains. Both browser runs use xterm's DOM renderer (Chromium here has no GPU),
// the same box, font and cell grid, and end when the last line is on screen (seen by a mutation observer on the rows,
// in both pages alike). No assertions: it prints figures and the ratio (aim: app ≥ 0.8 × xterm alone).
// The page's cost: renderer CPU per MB in the app against xterm alone (the figure that holds on a busy machine), the
// frames each drew, and the WebSocket frames and acknowledgements the console handled. The flood agent is made through
// the UI with Playwright; both measured pages run in a Chromium driven over CDP directly (cdp-browser.mjs), without
// Playwright's Network instrumentation, which copies every WebSocket frame into DevTools events.
//
// Run: npm run build && node test/bench/terminal-throughput-browser.mjs [lines=200000] [width=100]
// Env: HEADLESS_MAIN=another build's dist/headless/main.js; DAEMON_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR" to profile the
// daemon; PAGE_PROFILE=file.cpuprofile to profile both pages' main threads during the flood (the xterm-alone page's
// profile goes to file-alone.cpuprofile) and print their split: xterm, the app's own code, native work, GC
// (page-profile.mjs; summarise either file further with node /work/tools/prof.mjs FILE).
// PAGE_TRACE=1 prints both pages' trace event totals instead (wall time, so waiting for a core is in them).
/* global window, document, location, getComputedStyle, MutationObserver -- the page functions run in Chromium */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pty from 'node-pty';
import { chromium } from 'playwright-core';
import { launchCdpBrowser } from './cdp-browser.mjs';
import { formatSplit, splitProfile } from './page-profile.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const lines = Number(process.argv[2] ?? 200_000);
const width = Number(process.argv[3] ?? 100);
const floodScript = path.join(root, 'test/fixtures/agents/flood.mjs');
const DONE = 'FLOOD DONE';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-gpu', '--disable-webgl', '--disable-3d-apis'];
const VIEWPORT = { width: 1280, height: 800 };
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

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
  const roles = { daemon: 0, host: 0, flood: 0, chromium: 0, daemonWait: 0, hostWait: 0, floodWait: 0, chromiumWait: 0, chromiumBy: {}, chromiumPids: new Map() };
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
      roles.chromiumPids.set(pid, { key, cpu: proc.cpu, threads: key === 'renderer' ? threadCpu(pid) : new Map() });
    }
  }
  return roles;
}

/** CPU seconds by thread name (numbered pool threads together) of one process. */
function threadCpu(pid) {
  const byName = new Map();
  for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // The main thread carries the process's own name.
      const name = task === String(pid) ? 'main' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/\d+$/, '');
      byName.set(name, (byName.get(name) ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // Gone meanwhile.
    }
  }
  return byName;
}

/**
 * Chromium's CPU between two cpuByRole() readings, by process type and by renderer thread, counted per
 * process: one that exited meanwhile takes its CPU with it and must not show as negative.
 */
function chromiumSince(before, after) {
  const by = {};
  const threads = {};
  for (const [pid, now] of after.chromiumPids) {
    const then = before.chromiumPids.get(pid);
    by[now.key] = (by[now.key] ?? 0) + now.cpu - (then?.cpu ?? 0);
    for (const [thread, used] of now.threads) threads[thread] = (threads[thread] ?? 0) + used - (then?.threads.get(thread) ?? 0);
  }
  return { by, threads };
}

const quote = (word) => `'${word.replace(/'/g, `'\\''`)}'`;

/** The flood agent, made through the UI (Playwright); its shell waits for Enter before the flood starts. */
async function createFloodAgent(host) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: VIEWPORT });
    await page.goto(host.url);
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.evaluate(() => (location.hash = '#/agents'));
    await page.getByRole('button', { name: 'New agent' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New agent' });
    await dialog.getByLabel('Name').fill('Flood');
    // The flood waits for Enter once Node is up (it prints "ready"), so the clock starts with the flood,
    // not with the spawn or Node's start-up (which xterm alone, fed from memory, does not pay either).
    const commandLine = [process.execPath, floodScript, String(lines), String(width), 'stay', 'wait'].map(quote).join(' ');
    await dialog.getByLabel('Command').fill(commandLine);
    await dialog.getByLabel('Name').press('Enter');
    await dialog.waitFor({ state: 'hidden' });
  } finally {
    await browser.close();
  }
}

/** The app: the flood agent's console open in Chromium; timed from Enter typed into it until the last line shows. */
async function throughApp(browser, host) {
  const page = await browser.newPage(VIEWPORT);
  // Counts the WebSocket messages the page gets and sends (terminal output frames in, calls such as acks out).
  await page.addInitScript(() => {
    window.benchSocket = { framesIn: 0, bytesIn: 0, textIn: 0, sent: 0 };
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(...args) {
        super(...args);
        this.addEventListener('message', (event) => {
          if (typeof event.data === 'string') window.benchSocket.textIn += 1;
          else {
            window.benchSocket.framesIn += 1;
            window.benchSocket.bytesIn += event.data.byteLength;
          }
        });
      }
      send(data) {
        window.benchSocket.sent += 1;
        super.send(data);
      }
    };
  });
  await page.goto(host.url);
  await page.waitFor(() => document.querySelector('nav[aria-label="Main"]'));
  await page.evaluate(() => (location.hash = '#/agents/Flood/console'));
  await page.waitFor(() => document.querySelector('.xterm-rows'));
  // The flood is up and waiting for Enter.
  await page.waitFor(() => document.querySelector('.xterm-rows')?.textContent?.includes('ready'));
  await new Promise((resolve) => setTimeout(resolve, 500)); // attached and fitted
  const { box, font } = await page.evaluate(() => {
    const { width, height } = document.querySelector('[data-testid="terminal"]').getBoundingClientRect();
    const style = getComputedStyle(document.querySelector('.xterm-rows'));
    document.querySelector('[data-testid="terminal"] textarea').focus();
    return { box: { width, height }, font: { family: style.fontFamily, size: parseFloat(style.fontSize) } };
  });
  await host.lag('lag-reset');
  const profiler = await startProfile(browser, page);
  await watchRows(page, DONE);
  const socketBefore = await page.evaluate(() => ({ ...window.benchSocket }));
  const cpuBefore = cpuByRole(host.pid, host.dataDir);
  const start = performance.now();
  await page.pressEnter();
  await page.evaluate(() => window.benchDone);
  const seconds = (performance.now() - start) / 1000;
  const cpuAfter = cpuByRole(host.pid, host.dataDir);
  const lag = await host.lag('lag-report');
  const socketAfter = await page.evaluate(() => ({ ...window.benchSocket }));
  const socket = Object.fromEntries(Object.keys(socketAfter).map((key) => [key, socketAfter[key] - socketBefore[key]]));
  const frames = await page.evaluate(() => window.benchFrames);
  const fastForwards = await page.evaluate(() => {
    const { dataset } = document.querySelector('[data-testid="terminal"]');
    return { skips: Number(dataset.fastForwards ?? 0), bytes: Number(dataset.fastForwardedBytes ?? 0) };
  });
  const grid = await termGrid(page);
  const profile = await profiler?.stop(process.env.PAGE_PROFILE);
  const cpu = Object.fromEntries(Object.keys(cpuAfter).filter((role) => typeof cpuAfter[role] === 'number').map((role) => [role, cpuAfter[role] - cpuBefore[role]]));
  const chromium = chromiumSince(cpuBefore, cpuAfter);
  cpu.chromiumBy = chromium.by;
  cpu.rendererThreads = chromium.threads;
  const rss = peakRssMb(host.pid);
  const hostPid = terminalHostPid(host.dataDir);
  const hostRss = hostPid ? peakRssMb(hostPid) : undefined;
  await page.close();
  return { seconds, rss, hostRss, box, font, lag, cpu, frames, fastForwards, grid, profile, socket };
}

/** A CDP CPU profile of the page's main thread, if PAGE_PROFILE asks for one; `stop(file)` writes and returns it. */
async function startProfile(browser, page) {
  if (process.env.PAGE_TRACE) {
    const stop = await browser.startTracing(['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'cc', 'v8']);
    return { stop: async () => ({ trace: summariseTrace(await stop()) }) };
  }
  if (!process.env.PAGE_PROFILE) return undefined;
  await page.send('Profiler.enable');
  await page.send('Profiler.setSamplingInterval', { interval: 500 });
  await page.send('Profiler.start');
  return {
    async stop(file) {
      const { profile } = await page.send('Profiler.stop');
      fs.writeFileSync(file, JSON.stringify(profile));
      return { profile };
    },
  };
}

/** Milliseconds per trace event name on each thread of the page's renderer (complete events; nested ones overlap). */
function summariseTrace(events) {
  const threads = new Map();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args.name);
  const byName = new Map();
  const open = new Map();
  for (const e of events) {
    const thread = threads.get(`${e.pid}:${e.tid}`) ?? String(e.tid);
    let dur;
    if (e.ph === 'X') dur = e.dur;
    else if (e.ph === 'B') (open.get(`${e.tid}`) ?? open.set(`${e.tid}`, []).get(`${e.tid}`)).push(e.ts);
    else if (e.ph === 'E') dur = e.ts - (open.get(`${e.tid}`)?.pop() ?? e.ts);
    if (dur === undefined) continue;
    const key = `${thread} ${e.name}`;
    const entry = byName.get(key) ?? { ms: 0, count: 0 };
    entry.ms += dur / 1000;
    entry.count += 1;
    byName.set(key, entry);
  }
  return [...byName].sort((a, b) => b[1].ms - a[1].ms).slice(0, 30);
}

/**
 * Watches xterm's DOM rows: window.benchFrames counts the frames in which they changed, window.benchDone
 * resolves (page time) once `done` shows. A mutation observer, not polling: rAF polling would draw a frame
 * every vsync in the page it watches, a cost the other page does not pay.
 */
async function watchRows(page, done) {
  await page.evaluate((done) => {
    window.benchFrames = 0;
    const rows = document.querySelector('.xterm-rows');
    window.benchDone = new Promise((resolve) => {
      let frame;
      const observer = new MutationObserver(() => {
        // One render can call the observer more than once; count animation frames (their shared timestamp).
        if (document.timeline.currentTime !== frame) window.benchFrames += 1;
        frame = document.timeline.currentTime;
        if (rows.textContent.includes(done)) {
          observer.disconnect();
          resolve(performance.now());
        }
      });
      observer.observe(rows, { childList: true, subtree: true, characterData: true });
    });
  }, done);
}

/** The terminal's size in cells, from the DOM renderer: rows drawn, columns = screen width / character width. */
async function termGrid(page) {
  return page.evaluate(() => {
    const measure = document.querySelector('.xterm-char-measure-element');
    const charWidth = measure.getBoundingClientRect().width / measure.textContent.length;
    return { rows: document.querySelector('.xterm-rows').children.length, cols: Math.round(document.querySelector('.xterm-screen').getBoundingClientRect().width / charWidth) };
  });
}

/** Baseline 2: xterm.js alone, in a page of its own, fed the same bytes from memory, in the same box size. */
async function xtermAlone(browser, data, box, font, host) {
  const page = await browser.newPage(VIEWPORT);
  await page.evaluate(
    ({ box, css }) => {
      document.body.innerHTML = `<div id="t" style="width:${Math.floor(box.width)}px;height:${Math.floor(box.height)}px"></div>`;
      document.head.appendChild(document.createElement('style')).textContent = css;
    },
    { box, css: fs.readFileSync(path.join(root, 'node_modules/@xterm/xterm/css/xterm.css'), 'utf8') },
  );
  // Named by their paths, so a profile of this page tells xterm's code from the bench's.
  for (const script of ['node_modules/@xterm/xterm/lib/xterm.js', 'node_modules/@xterm/addon-fit/lib/addon-fit.js']) {
    await page.addScript(`${fs.readFileSync(path.join(root, script), 'utf8')}\n//# sourceURL=${script}`);
  }
  // The console's font, scrollback and cursor, focused as the console is (it was typed into).
  await page.evaluate((font) => {
    const term = new window.Terminal({ scrollback: 10_000, fontSize: font.size, fontFamily: font.family, cursorBlink: true });
    const fit = new window.FitAddon.FitAddon();
    term.loadAddon(fit);
    term.open(document.getElementById('t'));
    fit.fit();
    term.focus();
    window.term = term;
    window.chunks = [];
  }, font);
  // Handed over in slices before the clock starts (the transfer is not what is measured).
  const SLICE = 1 << 20;
  for (let i = 0; i < data.length; i += SLICE) await page.evaluate((s) => window.chunks.push(s), data.slice(i, i + SLICE));
  const profiler = await startProfile(browser, page);
  await watchRows(page, DONE);
  const cpuBefore = cpuByRole(host.pid, host.dataDir);
  const seconds = await page.evaluate(async () => {
    const start = performance.now();
    // Written in pieces the size the daemon batches (tens of KB), as the console receives them.
    const PIECE = 64 * 1024;
    for (const chunk of window.chunks) for (let i = 0; i < chunk.length; i += PIECE) window.term.write(chunk.slice(i, i + PIECE));
    return ((await window.benchDone) - start) / 1000;
  });
  const cpuAfter = cpuByRole(host.pid, host.dataDir);
  const frames = await page.evaluate(() => window.benchFrames);
  const grid = await termGrid(page);
  const profile = await profiler?.stop(process.env.PAGE_PROFILE?.replace(/(\.cpuprofile)?$/, '-alone.cpuprofile'));
  await page.close();
  const chromium = chromiumSince(cpuBefore, cpuAfter);
  return { seconds, cpu: chromium.by, rendererThreads: chromium.threads, frames, grid, profile };
}

const raw = await rawPty();
const host = await startHost();
await createFloodAgent(host);
const browser = await launchCdpBrowser({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
try {
  const app = await throughApp(browser, host);
  const alone = await xtermAlone(browser, raw.data, app.box, app.font, host);
  const size = mb(raw.chars);
  const rate = (seconds) => size / seconds;
  console.log(`flood: ${lines} lines × ${width} chars = ${fmt(size)} MB (console box ${Math.round(app.box.width)}×${Math.round(app.box.height)} px, DOM renderer)`);
  console.log(`  both terminals:                  ${app.grid.cols}×${app.grid.rows} cells (alone ${alone.grid.cols}×${alone.grid.rows}), ${app.font.size}px ${app.font.family.split(',')[0]}`);
  console.log(`raw node-pty read (Node):          ${fmt(rate(raw.seconds))} MB/s  (${fmt(raw.seconds, 2)} s)`);
  console.log(`xterm.js alone (Chromium):         ${fmt(rate(alone.seconds))} MB/s  (${fmt(alone.seconds, 2)} s)`);
  console.log(`app: pty → daemon → console:       ${fmt(rate(app.seconds))} MB/s  (${fmt(app.seconds, 2)} s)`);
  console.log(`ratio app / xterm alone:           ${fmt(alone.seconds / app.seconds, 2)}  (aim ≥ 0.80)`);
  console.log(`daemon peak RSS (VmHWM):           ${fmt(app.rss)} MB${app.hostRss === undefined ? '' : `  terminal host ${fmt(app.hostRss)} MB`}`);
  console.log(`CPU during the app's flood:         daemon ${fmt(app.cpu.daemon, 2)} s  terminal host ${fmt(app.cpu.host, 2)} s  flood process ${fmt(app.cpu.flood, 2)} s  Chromium ${fmt(app.cpu.chromium, 2)} s  (on ${os.cpus().length} cores)`);
  console.log(`  Chromium by process:              ${Object.entries(app.cpu.chromiumBy).filter(([, used]) => used >= 0.01).map(([type, used]) => `${type} ${fmt(used, 2)} s`).join('  ')}`);
  console.log(`  waiting for a core meanwhile:     daemon ${fmt(app.cpu.daemonWait, 2)} s  terminal host ${fmt(app.cpu.hostWait, 2)} s  flood process ${fmt(app.cpu.floodWait, 2)} s  Chromium ${fmt(app.cpu.chromiumWait, 2)} s  (load average ${os.loadavg()[0].toFixed(1)})`);
  const perMb = (cpu) => (1000 * (cpu ?? 0)) / size;
  console.log(`renderer CPU per MB, app vs alone: ${fmt(perMb(app.cpu.chromiumBy.renderer), 0)} vs ${fmt(perMb(alone.cpu.renderer), 0)} ms/MB (${fmt((app.cpu.chromiumBy.renderer ?? 0) / (alone.cpu.renderer || NaN), 2)}×; renderer ${fmt(app.cpu.chromiumBy.renderer ?? 0, 2)} vs ${fmt(alone.cpu.renderer ?? 0, 2)} s)`);
  console.log(`  rest of Chromium per MB:          browser ${fmt(perMb(app.cpu.chromiumBy.browser), 0)} vs ${fmt(perMb(alone.cpu.browser), 0)}, gpu ${fmt(perMb(app.cpu.chromiumBy['gpu-process']), 0)} vs ${fmt(perMb(alone.cpu['gpu-process']), 0)} ms/MB`);
  const threads = [...new Set([...Object.keys(app.cpu.rendererThreads), ...Object.keys(alone.rendererThreads)])]
    .map((thread) => [thread, perMb(app.cpu.rendererThreads[thread]), perMb(alone.rendererThreads[thread])])
    .filter(([, a, b]) => a >= 0.5 || b >= 0.5)
    .sort((x, y) => y[1] + y[2] - x[1] - x[2]);
  console.log(`  renderer by thread (ms/MB):       ${threads.map(([thread, a, b]) => `${thread} ${fmt(a, 0)} vs ${fmt(b, 0)}`).join(', ')}`);
  const { socket } = app;
  console.log(`  page's WebSocket in the flood:    ${socket.framesIn} output frames in (${fmt(socket.bytesIn / Math.max(1, socket.framesIn) / 1024)} KB each), ${socket.textIn} JSON messages in, ${socket.sent} sent (acks and calls)`);
  console.log(`  console fast-forwards:            ${app.fastForwards.skips}, ${fmt(mb(app.fastForwards.bytes))} MB skipped (${fmt((100 * mb(app.fastForwards.bytes)) / size, 0)}% of the flood: it would have scrolled out of the scrollback unseen)`);
  console.log(`  frames drawn:                     app ${app.frames} (${fmt(app.frames / size)} per MB) vs alone ${alone.frames} (${fmt(alone.frames / size)} per MB)`);
  if (app.profile?.trace) {
    for (const [side, result] of [['app', app], ['alone', alone]]) {
      console.log(`  trace, ${side} (ms, count):`);
      for (const [name, { ms, count }] of result.profile.trace.filter(([name]) => !/DevTools|ThreadPool|RunTask$|callFunction$/.test(name)).slice(0, 24)) console.log(`    ${fmt(ms, 0).padStart(6)} ${String(count).padStart(6)}  ${name}`);
    }
  }
  if (app.profile?.profile && alone.profile?.profile) {
    const appSplit = splitProfile(app.profile.profile);
    console.log(`  page profile, app   (ms):         ${formatSplit(appSplit)}`);
    console.log(`  page profile, alone (ms):         ${formatSplit(splitProfile(alone.profile.profile))}`);
    console.log(`  app's own code, top:              ${appSplit.top.slice(0, 5).map(([where, took]) => `${where.replace(/ renderer\/src\//, ' ')} ${fmt(took)}`).join(', ')}`);
  }
  console.log(`daemon event-loop lag in the flood: max ${fmt(app.lag.maxMs)} ms  p99 ${fmt(app.lag.p99Ms)} ms  mean ${fmt(app.lag.meanMs)} ms  (aim p99 < 20)`);
} finally {
  await browser.close().catch((error) => console.error(`closing Chromium: ${error.message}`));
  await host.stop();
  fs.rmSync(host.dataDir, { recursive: true, force: true });
}
