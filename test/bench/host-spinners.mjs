// The terminal host's main thread per spinner redraw, in process: a TerminalHostServer (this tree's,
// and main's in the same run) in a child process of its own with 10 agents each redrawing a spinner
// ten times a second (test/fixtures/agents/spinner.pl) and a daemon stand-in reading its frames
// over loopback; the host's main-thread CPU (from /proc, not the machine's load) per second and per
// redraw, and how many output frames and socket reads the daemon side got.
//   node test/bench/host-spinners.mjs [seconds=10] [baseline-ref=main]   (HOST_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR" profiles the hosts)
import { execFileSync, fork } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleForBench } from './bench-bundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const self = fileURLToPath(import.meta.url);

if (process.argv[2] === '--child') {
  // The host: bundled TerminalHostServer from argv[3], mirrors in its worker beside the bundle.
  const { TerminalHostServer, createLogger } = await import(pathToFileURL(process.argv[3]).href);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'host-spinners-'));
  const server = new TerminalHostServer({ dataDir, version: 'bench', logger: createLogger({ console: false }), agents: { baseEnv: { PATH: process.env.PATH } } });
  const { port, token } = await server.listen();
  process.send({ port, token });
  process.on('message', async (m) => {
    if (m === 'stop') {
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    }
  });
} else {
  const seconds = Number(process.argv[2] ?? 10);
  const ref = process.argv[3] ?? 'main';
  const fmt = (n, d = 1) => n.toFixed(d);
  const bundle = async (label, srcRoot) => {
    const dir = path.join(root, '.tmp/bench-host-spinners', label);
    fs.mkdirSync(dir, { recursive: true });
    await bundleForBench({
      stdin: {
        contents: "export { TerminalHostServer } from './main/core/terminal-host/host-server.ts';\nexport { createLogger } from './main/core/logging/logger.ts';",
        resolveDir: srcRoot,
        loader: 'ts',
      },
      outfile: path.join(dir, 'host.mjs'),
      nodePaths: [path.join(root, 'node_modules')],
    });
    await bundleForBench({
      entryPoints: [path.join(srcRoot, 'main/core/agents/terminal-mirror-worker.ts')],
      outfile: path.join(dir, 'terminal-mirror-worker.js'),
      nodePaths: [path.join(root, 'node_modules')],
    });
    return path.join(dir, 'host.mjs');
  };
  // main's sources beside the worktree (node_modules resolve from the worktree's).
  const refDir = path.join(root, '.tmp/bench-host-spinners/ref-src');
  fs.rmSync(refDir, { recursive: true, force: true });
  fs.mkdirSync(refDir, { recursive: true });
  execFileSync('sh', ['-c', `git archive ${ref} main | tar -x -C ${refDir}`], { cwd: root });
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(refDir, 'node_modules'));
  const builds = [[ref, await bundle('ref', refDir)], ['this tree', await bundle('now', root)]];

  const mainThreadMs = (pid) => {
    const stat = fs.readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  };
  const run = async (label, entry) => {
    const child = fork(self, ['--child', entry], { stdio: 'inherit', execArgv: (process.env.HOST_NODE_ARGS ?? '').split(' ').filter(Boolean) });
    const { port, token } = await new Promise((resolve) => child.once('message', resolve));
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let reads = 0;
    let frames = 0;
    let buffered = Buffer.alloc(0);
    socket.on('data', (data) => {
      reads += 1;
      buffered = Buffer.concat([buffered, data]);
      // Count output frames (0x01 | u32 length | …); JSON lines end at \n.
      let offset = 0;
      while (offset < buffered.length) {
        if (buffered[offset] === 0x01) {
          if (buffered.length - offset < 5) break;
          const end = offset + 5 + buffered.readUInt32BE(offset + 1);
          if (end > buffered.length) break;
          frames += 1;
          offset = end;
        } else {
          const nl = buffered.indexOf(0x0a, offset);
          if (nl < 0) break;
          offset = nl + 1;
        }
      }
      buffered = buffered.subarray(offset);
    });
    socket.write(`${JSON.stringify({ t: 'hello', token, protocol: { major: 1, minor: 2 }, version: 'bench' })}\n`);
    const spinner = path.join(root, 'test/fixtures/agents/spinner.pl');
    for (let i = 0; i < 10; i++) {
      socket.write(`${JSON.stringify({ t: 'req', id: i + 1, op: 'spawn', args: [{ name: `S${i}`, command: 'perl', args: [spinner, '0', '10'], cols: 120, rows: 40, cwd: root }, {}] })}\n`);
    }
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const cpu0 = mainThreadMs(child.pid);
    const reads0 = reads;
    const frames0 = frames;
    const t0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const wall = (performance.now() - t0) / 1000;
    const cpu = mainThreadMs(child.pid) - cpu0;
    const redraws = 10 * 10 * wall;
    console.log(
      `  ${label.padEnd(10)} host main thread ${fmt(cpu / wall).padStart(5)} ms/s = ${fmt((cpu / redraws) * 1000, 0).padStart(4)} µs per redraw; daemon side got ${fmt((frames - frames0) / wall, 0)} frames/s in ${fmt((reads - reads0) / wall, 0)} reads/s`,
    );
    socket.destroy();
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
  };
  console.log(`10 spinners (100 redraws/s), no console, ${seconds} s each, load ${os.loadavg().map((l) => fmt(l, 2)).join(' ')}`);
  for (let round = 0; round < 2; round++) for (const [label, entry] of builds) await run(label, entry);
}
