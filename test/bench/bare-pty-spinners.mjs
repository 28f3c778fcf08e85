// The floor under test/bench/many-agents.mjs's spinner case: one plain Node process reading N spinner
// agents (test/fixtures/agents/spinner.pl) through node-pty and doing nothing with the output. Whatever
// the daemon and the terminal host cost beyond this is the app's. No assertions: it prints figures.
//
// Run: node test/bench/bare-pty-spinners.mjs [agents=10] [seconds=10]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pty from 'node-pty';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const count = Number(process.argv[2] ?? 10);
const seconds = Number(process.argv[3] ?? 10);
const spinner = path.join(root, 'test/fixtures/agents/spinner.pl');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let chunks = 0;
const agents = Array.from({ length: count }, () => {
  const child = pty.spawn('perl', [spinner], { cols: 120, rows: 40, cwd: root, env: process.env });
  child.onData(() => (chunks += 1));
  return child;
});
await sleep(3000); // started and settled
const cpuBefore = process.cpuUsage();
const chunksBefore = chunks;
const start = performance.now();
await sleep(seconds * 1000);
const elapsed = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuBefore);
console.log(`bare node-pty, ${count} spinners: ${((cpu.user + cpu.system) / 1000 / elapsed).toFixed(1)} ms CPU/s, ${((chunks - chunksBefore) / elapsed).toFixed(0)} chunks/s`);
for (const agent of agents) agent.kill();
process.exit(0);
