import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RelayMessage, TerminalOutput } from '../../../preload/contract.js';
import { connectClient, type NodeClient } from '../../../main/core/transport/client.js';
import { startServer, type RunningServer } from '../../../main/core/transport/server.js';
import { createService, type RelayService } from '../../../main/core/service.js';
import { JsonFileSettingsStore } from '../../../main/core/settings/settings-store.js';
import { captureLogger } from '../../support/capture-logger.js';
import { makeTempDir } from '../../support/temp-dir.js';

const TOKEN = 't'.repeat(48);
const fixture = (name: string) => path.resolve('test/fixtures', name);

/** Agents, consoles and relay through the real WebSocket transport, as the UI and CLI use them. */
describe('agents and relay over the bridge', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let service: RelayService;
  let server: RunningServer;
  let client: NodeClient;

  const start = async () => {
    const { logger } = captureLogger();
    service = createService({ host: 'headless', version: 't', dataDir: tmp.dir, settingsStore: new JsonFileSettingsStore(tmp.dir), logger, defaultAgentCwd: tmp.dir });
    server = await startServer({ service, token: TOKEN, host: '127.0.0.1', port: 0, fallbackToFreePort: false, logger });
    client = await connectClient(`http://127.0.0.1:${server.port}`, TOKEN);
  };
  const stop = async () => {
    client.close();
    await server.close();
    await service.close();
  };

  beforeEach(async () => {
    tmp = makeTempDir();
    await start();
  });
  afterEach(async () => {
    await stop();
    tmp.cleanup();
  });

  it('spawns an agent, streams its console from a snapshot on, and takes typed input', async () => {
    const seen: string[] = [];
    client.on('agents.changed', (list) => seen.push(list.map((a) => `${a.name}:${a.status}`).join(',')));
    const info = await client.call('agents.spawn', { name: 'Echo', command: process.execPath, args: [fixture('agents/prompt-echo.mjs')] });
    expect(info).toMatchObject({ name: 'Echo', cwd: tmp.dir, exit: null });
    expect(info.pid).toBeGreaterThan(0);

    await expect.poll(async () => (await client.call('terminal.screen', 'Echo')).join('\n'), { timeout: 5000 }).toContain('>');
    const snapshot = await client.call('terminal.attach', 'Echo');
    let text = snapshot.data;
    let lastSeq = snapshot.seq;
    const outOfOrder: number[] = [];
    client.on('terminal.output', (out: TerminalOutput) => {
      // A frame may join chunks that arrived together (its seq is the last one's): seq only grows.
      if (out.seq <= lastSeq) outOfOrder.push(out.seq);
      lastSeq = out.seq;
      text += out.data;
    });
    await client.call('terminal.input', 'Echo', 'hello there\r');
    await expect.poll(() => text, { timeout: 5000 }).toContain('hello there');
    expect(outOfOrder).toEqual([]);
    await client.call('terminal.ack', 'Echo', text.length);
    expect(seen.length).toBeGreaterThan(0);

    const killed = await client.call('agents.kill', 'Echo');
    expect(killed.status).toBe('exited');
    expect(killed.exit).not.toBeNull();
  });

  it('refuses a bad spawn with a clear error and keeps running', async () => {
    await expect(client.call('agents.spawn', { name: 'bad name!', command: 'x' })).rejects.toMatchObject({ code: 'invalid_args' });
    await expect(client.call('agents.spawn', { name: 'Ghost', command: 'no-such-agent-cli-xyz' })).rejects.toMatchObject({
      code: 'command_not_found',
      message: expect.stringContaining('no-such-agent-cli-xyz'),
    });
    await expect(client.call('terminal.attach', 'Nobody')).rejects.toMatchObject({ code: 'agent_not_found' });
    expect(await client.call('agents.list')).toEqual([]);
  });

  it("delivers Alice's relay line into Bob's terminal once, and logs it for history and read", async () => {
    const messages: RelayMessage[] = [];
    client.on('relay.message', (m) => messages.push(m));
    await client.call('agents.spawn', { name: 'Bob', command: process.execPath, args: [fixture('relay/bob.mjs')] });
    await client.call('agents.spawn', { name: 'Alice', command: process.execPath, args: [fixture('relay/alice.mjs')] });

    await expect
      .poll(async () => (await client.call('terminal.screen', 'Bob')).join('\n'), { timeout: 10_000 })
      .toMatch(/bob got: Relay message from Alice \[[0-9a-z]+\]: hello/);
    const screen = (await client.call('terminal.screen', 'Bob')).join('\n');
    expect(screen.match(/bob got: Relay message from Alice/g)).toHaveLength(1);

    const history = await client.call('relay.history', {});
    expect(history.items).toHaveLength(1);
    const [message] = history.items;
    // Bob's echo showed it: acknowledged, not just written (was 'delivered' before proof of delivery).
    await expect.poll(async () => (await client.call('relay.read', message!.id)).status, { timeout: 10_000 }).toBe('acknowledged');
    expect(message).toMatchObject({ from: 'Alice', to: 'Bob', body: 'hello' });
    expect(await client.call('relay.read', message!.id)).toMatchObject({ id: message!.id, body: 'hello' });
    expect(messages.map((m) => m.status)).toEqual(expect.arrayContaining(['delivered', 'acknowledged']));
    await expect(client.call('relay.read', 'nope')).rejects.toMatchObject({ code: 'message_not_found' });
  });

  it('sends as the human, and says who exists when the name is unknown', async () => {
    await client.call('agents.spawn', { name: 'Bob', command: process.execPath, args: [fixture('relay/bob.mjs')] });
    await expect(client.call('relay.send', { to: 'Zed', body: 'hi' })).rejects.toMatchObject({ code: 'unknown_recipient', message: expect.stringContaining('Bob') });
    const sent = await client.call('relay.send', { to: 'bob', body: 'from the human' });
    expect(sent).toMatchObject({ from: 'human', recipients: ['Bob'] });
    await expect
      .poll(async () => (await client.call('terminal.screen', 'Bob')).join('\n'), { timeout: 10_000 })
      .toContain(`bob got: Relay message from human [${sent.id}]: from the human`);
  });

  it('keeps the message log across a daemon restart', async () => {
    await client.call('agents.spawn', { name: 'Bob', command: process.execPath, args: [fixture('relay/bob.mjs')] });
    const sent = await client.call('relay.send', { to: 'Bob', body: 'remember me' });
    await expect.poll(async () => (await client.call('relay.read', sent.id)).status, { timeout: 10_000 }).toBe('acknowledged');
    await stop();
    await start();
    expect(await client.call('relay.read', sent.id)).toMatchObject({ body: 'remember me', status: 'acknowledged' });
  });
});
