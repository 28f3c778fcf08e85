// Event-loop lag of the daemon process while agents flood their terminals and the mirrors parse,
// measured with perf_hooks.monitorEventLoopDelay, for 1 and 4 agents at once, each with an acking console.
// Run: node test/bench/terminal-event-loop.mjs [lines per agent=150000]
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { mirrorOptions, env, fixturesDir, fmt, loadAgents, mb, rssSampler } from './terminal-bench-build.mjs';

const lines = Number(process.argv[2] ?? 150_000);
const { AgentHost, normalizeAgentSpec } = await loadAgents();

async function run(agents) {
  const h = monitorEventLoopDelay({ resolution: 1 });
  const stopRss = rssSampler();
  h.enable();
  const start = performance.now();
  let chars = 0;
  const hosts = [];
  await Promise.all(
    Array.from({ length: agents }, async (_, i) => {
      const spec = normalizeAgentSpec({
        name: `flood${i}`,
        command: process.execPath,
        args: [path.join(fixturesDir, 'flood.mjs'), String(lines), '100', 'stay'],
        cwd: os.tmpdir(),
        cols: 120,
        rows: 40,
      });
      const started = AgentHost.start(spec.value, { baseEnv: env(), killGraceMs: 200, ...mirrorOptions() });
      if (!started.ok) throw started.error;
      const host = started.value;
      hosts.push(host);
      const attachment = await host.attach({ data: (chunk) => attachment.ack(chunk.data.length) });
      attachment.start();
      await new Promise((resolve) => {
        let tail = '';
        host.onOutput((chunk) => {
          chars += chunk.data.length;
          tail = (tail + chunk.data).slice(-40);
          if (tail.includes('FLOOD DONE')) resolve();
        });
      });
      await host.screenText();
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  h.disable();
  const rss = stopRss();
  await Promise.all(hosts.map((host) => host.dispose()));
  console.log(
    `${agents} agent(s): ${fmt(mb(chars))} MB in ${fmt(seconds, 2)} s (${fmt(mb(chars) / seconds)} MB/s)  ` +
      `lag max ${fmt(h.max / 1e6)} ms  p99 ${fmt(h.percentile(99) / 1e6)} ms  mean ${fmt(h.mean / 1e6)} ms  peak RSS ${fmt(rss)} MB`,
  );
}

await run(1);
await run(4);
