import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentInfo } from '../../../main/core/agents/agent-host.js';
import { createLogger } from '../../../main/core/logging/logger.js';
import { TerminalHostClient } from '../../../main/core/terminal-host/host-client.js';
import { writeHostFile } from '../../../main/core/terminal-host/host-file.js';
import type { HostedAgent, ProtocolVersion } from '../../../main/core/terminal-host/protocol.js';

/**
 * The daemon's side of the relay line (protocol 1.3) against hosts of either minor version: a real TCP
 * server in the host's place (hello → welcome with one agent) records every line the daemon writes.
 */
const info: AgentInfo = {
  name: 'Ann',
  status: 'working',
  statusReason: null,
  pid: process.pid,
  command: 'ann',
  args: [],
  cwd: '/',
  provider: null,
  cols: 80,
  rows: 24,
  startedAt: 0,
  exit: null,
  restarts: 0,
  lastOutputAt: null,
  lastHumanInputAt: null,
};

describe('the relay line between a daemon and terminal hosts old and new', () => {
  let cleanup: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup = [];
  });

  async function host(protocol: ProtocolVersion, agent: HostedAgent) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-line-'));
    cleanup.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const received: Array<Record<string, unknown>> = [];
    let socket: net.Socket | undefined;
    const server = net.createServer((s) => {
      socket = s;
      let buffer = '';
      s.on('data', (data: Buffer) => {
        buffer += data.toString('utf8');
        for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
          const message = JSON.parse(buffer.slice(0, newline)) as Record<string, unknown>;
          buffer = buffer.slice(newline + 1);
          if (message.t === 'hello') s.write(`${JSON.stringify({ t: 'welcome', protocol, version: 'old', pid: process.pid, startedAt: 'then', agents: [agent] })}\n`);
          else received.push(message);
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    writeHostFile(dataDir, { pid: process.pid, port: (server.address() as net.AddressInfo).port, token: 'x'.repeat(32), protocol, version: 'old', startedAt: 'then' });
    const client = await TerminalHostClient.open({ dataDir, version: 'test', logger: createLogger({ console: false }) });
    cleanup.push(() => client.release());
    return { client, received, event: (event: unknown) => socket!.write(`${JSON.stringify({ t: 'event', event })}\n`) };
  }

  it('a host before 1.3 gives no line: the backlog is read from a line start, as before; the line the daemon sends along is only extra', async () => {
    const { client, received } = await host({ major: 1, minor: 2 }, { info, meta: {}, seq: 7, relayBacklog: [{ seq: 7, data: '->relay:Bob hi\r\n' }] });
    expect(client.takeRelayLine('Ann')).toBeUndefined();
    expect(client.takeRelayBacklog('Ann')).toEqual([{ seq: 7, data: '->relay:Bob hi\r\n' }]);
    client.relayAck('Ann', 7);
    client.relayAck('Ann', 8, '{"v":1}');
    await expect.poll(() => received).toEqual([
      { t: 'relayAck', name: 'Ann', seq: 7 },
      { t: 'relayAck', name: 'Ann', seq: 8, line: '{"v":1}' },
    ]);
  });

  it('a 1.3 host gives the line with the backlog, once; a restart before the daemon takes it drops it', async () => {
    const first = await host({ major: 1, minor: 3 }, { info, meta: {}, seq: 7, relayBacklog: [{ seq: 7, data: '->relay:Bob hi\r\n' }], relayLine: 'the line' });
    expect(first.client.takeRelayLine('Ann')).toBe('the line');
    expect(first.client.takeRelayLine('Ann')).toBeUndefined();

    const second = await host({ major: 1, minor: 3 }, { info, meta: {}, seq: 7, relayBacklog: [], relayLine: 'the line' });
    second.event({ type: 'restarted', agent: { ...info, restarts: 1 } });
    await expect.poll(() => second.client.get('Ann')?.info.restarts).toBe(1);
    expect(second.client.takeRelayLine('Ann')).toBeUndefined();
  });
});
