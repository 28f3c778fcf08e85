// `npm start` (after the build): the tray app when Electron and a display are here; otherwise one
// line saying why, then the same app headless. Never require('electron'): that starts a download.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startPlan } from './electron-runtime.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const plan = startPlan({ root });

if (plan.mode === 'electron') {
  const env = { ...process.env };
  // Set by some tools; it would make the binary a plain Node and ignore the app.
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(plan.executable, [root, ...args], { stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    // The app quits cleanly on either, however many times it receives them.
    process.on(signal, () => child.kill(signal));
  }
  child.once('error', (error) => {
    console.error(`Could not start Electron (${plan.executable}): ${error.message}`);
    process.exit(1);
  });
  child.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  // With --json, stdout carries only JSON lines, so the reason goes to stderr.
  const say = args.includes('--json') ? console.error : console.log;
  say(`${plan.reason} — starting Agent Relay headless instead.`);
  const headless = path.join(root, 'dist', 'headless', 'main.js');
  if (!existsSync(headless)) {
    console.error('Agent Relay is not built (dist/headless/main.js is missing); run `npm run build` first.');
    process.exit(1);
  }
  // In-process, so SIGINT and SIGTERM reach the CLI's own handlers once, and its exit code is ours.
  process.argv = [process.argv[0], headless, 'up', ...args];
  await import(pathToFileURL(headless).href);
}
