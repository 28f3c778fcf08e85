// Chromium driven over the DevTools protocol directly, for measuring pages without a test driver's own
// instrumentation in them. Playwright enables the Network domain on every page it controls, so Chromium
// copies every WebSocket frame into a DevTools event (binary frames base64-encoded, in the renderer) and
// pipes it through the browser process to the driver: in the throughput bench that cost the console page
// more than its own code did, and the xterm-alone page (no WebSocket) nothing. Here a page gets only the
// domains a measurement asks for (Runtime, Input, Emulation, and Profiler or Tracing when profiling).
/* global location, document -- waitFor predicates run in the page */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import WebSocket from 'ws';

/** Roughly the switches Playwright launches Chromium with (so both drivers measure the same browser). */
const DRIVER_ARGS = [
  '--disable-field-trial-config',
  '--disable-background-networking',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-back-forward-cache',
  '--disable-breakpad',
  '--disable-component-extensions-with-background-pages',
  '--disable-component-update',
  '--no-default-browser-check',
  '--disable-default-apps',
  '--disable-dev-shm-usage',
  '--disable-extensions',
  '--disable-features=PaintHolding,MediaRouter,OptimizationHints',
  '--allow-pre-commit-input',
  '--disable-hang-monitor',
  '--disable-ipc-flooding-protection',
  '--disable-popup-blocking',
  '--disable-prompt-on-repost',
  '--disable-renderer-backgrounding',
  '--force-color-profile=srgb',
  '--metrics-recording-only',
  '--no-first-run',
  '--password-store=basic',
  '--use-mock-keychain',
  '--no-service-autorun',
  '--disable-search-engine-choice-screen',
  '--disable-sync',
  '--headless',
  '--hide-scrollbars',
  '--mute-audio',
];

export async function launchCdpBrowser({ executablePath, args = [] }) {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-chromium-'));
  const child = spawn(executablePath, [...DRIVER_ARGS, ...args, `--user-data-dir=${userDataDir}`, '--remote-debugging-port=0', 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const endpoint = await new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stderr });
    lines.on('line', (line) => {
      const match = /DevTools listening on (ws:\S+)/.exec(line);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`Chromium exited (${code}) before it listened`)));
  });
  const socket = new WebSocket(endpoint, { perMessageDeflate: false, maxPayload: 2 ** 31 - 1 });
  await new Promise((resolve, reject) => (socket.once('open', resolve), socket.once('error', reject)));
  let nextId = 1;
  const calls = new Map();
  const listeners = new Set();
  socket.on('message', (text) => {
    const message = JSON.parse(text.toString());
    if (message.id !== undefined) {
      const call = calls.get(message.id);
      calls.delete(message.id);
      if (message.error) call.reject(new Error(`${call.method}: ${message.error.message}`));
      else call.resolve(message.result);
    } else for (const listener of listeners) listener(message);
  });
  const send = (method, params = {}, sessionId = undefined) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      calls.set(id, { resolve, reject, method });
      socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });

  return {
    pid: child.pid,
    send,
    /** A new tab of `viewport` size, attached, with focus emulated (a headless tab is never the focused window). */
    async newPage(viewport) {
      const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
      const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
      const page = cdpPage(send, sessionId, targetId);
      await page.send('Emulation.setDeviceMetricsOverride', { ...viewport, deviceScaleFactor: 1, mobile: false });
      await page.send('Emulation.setFocusEmulationEnabled', { enabled: true });
      return page;
    },
    /** Records a trace of every process until the returned function is called; it resolves to the events. */
    async startTracing(categories) {
      const events = [];
      const collect = (message) => {
        if (message.method === 'Tracing.dataCollected') events.push(...message.params.value);
      };
      listeners.add(collect);
      await send('Tracing.start', { traceConfig: { includedCategories: categories }, transferMode: 'ReportEvents' });
      return async () => {
        const complete = new Promise((resolve) => {
          const done = (message) => message.method === 'Tracing.tracingComplete' && (listeners.delete(done), resolve());
          listeners.add(done);
        });
        await send('Tracing.end');
        await complete;
        listeners.delete(collect);
        return events;
      };
    },
    async close() {
      socket.close();
      await new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM')));
      try {
        fs.rmSync(userDataDir, { recursive: true, force: true, maxRetries: 5 });
      } catch {
        // A helper process of Chromium still writing there: left in the temporary folder.
      }
    },
  };
}

function cdpPage(send, sessionId, targetId) {
  const page = {
    send: (method, params) => send(method, params, sessionId),
    /** Like Playwright's page.evaluate: runs `fn(arg)` in the page and returns its (awaited) JSON value. */
    async evaluate(fn, arg) {
      const expression = `(${fn.toString()})(${arg === undefined ? '' : JSON.stringify(arg)})`;
      const { result, exceptionDetails } = await page.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
      if (exceptionDetails) throw new Error(`in the page: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
      return result.value;
    },
    /** Runs a classic script's text in the page (as a <script> tag would). */
    async addScript(source) {
      const { exceptionDetails } = await page.send('Runtime.evaluate', { expression: source });
      if (exceptionDetails) throw new Error(`in the page: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
    },
    /** Resolves once `predicate(arg)` holds in the page (checked every 50 ms, not every frame). */
    async waitFor(predicate, arg, timeoutMs = 60_000) {
      const ok = await page.evaluate(
        ({ source, arg, timeoutMs }) =>
          new Promise((resolve) => {
            const check = new Function('arg', `return (${source})(arg)`);
            const until = Date.now() + timeoutMs;
            const poll = () => {
              let value = false;
              try {
                value = check(arg);
              } catch {
                // Not there yet.
              }
              if (value) resolve(true);
              else if (Date.now() > until) resolve(false);
              else setTimeout(poll, 50);
            };
            poll();
          }),
        { source: predicate.toString(), arg, timeoutMs },
      );
      if (!ok) throw new Error(`timed out waiting for ${predicate.toString()}`);
    },
    async goto(url) {
      await page.send('Page.navigate', { url });
      // Until the new document has loaded (an evaluation the navigation interrupts is tried again).
      for (let attempt = 0; ; attempt++) {
        try {
          await page.waitFor(() => location.href !== 'about:blank' && document.readyState === 'complete');
          return;
        } catch (error) {
          if (attempt > 20 || !/navigated or closed|context was destroyed/.test(error.message)) throw error;
        }
      }
    },
    /** Runs `fn(arg)` in every document this page loads from now on, before its own scripts. */
    async addInitScript(fn, arg) {
      await page.send('Page.enable');
      await page.send('Page.addScriptToEvaluateOnNewDocument', { source: `(${fn.toString()})(${arg === undefined ? '' : JSON.stringify(arg)})` });
    },
    /** Enter, typed into the focused element. */
    async pressEnter() {
      const key = { key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, nativeVirtualKeyCode: 13 };
      await page.send('Input.dispatchKeyEvent', { type: 'keyDown', text: '\r', unmodifiedText: '\r', ...key });
      await page.send('Input.dispatchKeyEvent', { type: 'keyUp', ...key });
    },
    close: () => send('Target.closeTarget', { targetId }),
  };
  return page;
}
