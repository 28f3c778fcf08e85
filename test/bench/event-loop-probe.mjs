// Loaded into the daemon by the browser benchmark (node --import): measures the daemon's event-loop lag
// with perf_hooks.monitorEventLoopDelay and answers over the IPC channel the benchmark opened.
// Messages: 'lag-reset' starts a fresh window; 'lag-report' answers { maxMs, p99Ms, meanMs }.
import { monitorEventLoopDelay } from 'node:perf_hooks';

if (process.send && process.channel) {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  process.on('message', (message) => {
    if (message === 'lag-reset') histogram.reset();
    if (message === 'lag-report') {
      process.send({ lag: { maxMs: histogram.max / 1e6, p99Ms: histogram.percentile(99) / 1e6, meanMs: histogram.mean / 1e6 } });
    }
  });
  // The channel must not keep the daemon alive on its own.
  process.channel.unref();
}
