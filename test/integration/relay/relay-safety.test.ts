import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RelayMessage } from '../../../preload/contract.js';
import { connectClient, type NodeClient } from '../../../main/core/transport/client.js';
import { startServer, type RunningServer } from '../../../main/core/transport/server.js';
import { createService, type RelayService } from '../../../main/core/service.js';
import { JsonFileSettingsStore } from '../../../main/core/settings/settings-store.js';
import { captureLogger } from '../../support/capture-logger.js';
import { makeTempDir } from '../../support/temp-dir.js';

const TOKEN = 't'.repeat(48);
const fixture = (name: string) => path.resolve('test/fixtures', name);

/** What reaches which agent, through the daemon as the UI and CLI use it, with real shells and ptys. */
describe('relay safety with real agents', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let service: RelayService;
  let server: RunningServer;
  let client: NodeClient;
  let messages: RelayMessage[];

  beforeEach(async () => {
    tmp = makeTempDir();
    const { logger } = captureLogger();
    service = createService({ host: 'headless', version: 't', dataDir: tmp.dir, settingsStore: new JsonFileSettingsStore(tmp.dir), logger, defaultAgentCwd: tmp.dir });
    server = await startServer({ service, token: TOKEN, host: '127.0.0.1', port: 0, fallbackToFreePort: false, logger });
    client = await connectClient(`http://127.0.0.1:${server.port}`, TOKEN);
    messages = [];
    client.on('relay.message', (m) => messages.push(m));
  });
  afterEach(async () => {
    client.close();
    await server.close();
    await service.close();
    tmp.cleanup();
  });

  const screen = async (name: string) => (await client.call('terminal.screen', name)).join('\n');
  const statusOf = async (id: string) => (await client.call('relay.read', id)).status;

  it('never types a relay message into a bash prompt, tells the sending agent why, and does when "accept relay messages" is on', async () => {
    const planted = path.join(tmp.dir, 'INJECTED');
    const bash = await client.call('agents.spawn', { name: 'bob', command: 'bash', args: ['--norc', '--noprofile'], env: { PS1: 'bash$ ' } });
    expect(bash).toMatchObject({ acceptRelay: false });
    await expect.poll(() => screen('bob'), { timeout: 10_000 }).toContain('bash$');
    await expect.poll(async () => (await client.call('agents.list')).find((a) => a.name === 'bob')?.shellPrompt, { timeout: 5_000 }).toBe(true);

    const lines = JSON.stringify([`->relay:bob hi; touch ${planted}\r\n`]);
    await client.call('agents.spawn', { name: 'Alice', command: process.execPath, args: [fixture('relay/alice.mjs')], env: { RELAY_LINES: lines } });
    const refused = await expect
      .poll(() => messages.find((m) => m.from === 'Alice' && m.status === 'failed'), { timeout: 15_000 })
      .toBeDefined()
      .then(() => messages.find((m) => m.from === 'Alice' && m.status === 'failed')!);
    expect(refused.deliveries[0]).toMatchObject({ recipient: 'bob', status: 'failed', code: 'shell_prompt' });
    expect(refused.deliveries[0]?.reason).toMatch(/^bob is a shell prompt; relay messages go to agents/);
    // Alice, the sender, sees the reason in her own terminal.
    await expect.poll(() => screen('Alice'), { timeout: 15_000 }).toMatch(/Relay message from relay \[\w+\]: bob is a shell prompt; relay messages go to agents/);
    expect(await screen('bob')).not.toContain('Relay message');
    expect(fs.existsSync(planted)).toBe(false);

    // The human sending to the shell is refused at once, with the reason.
    const direct = await client.call('relay.send', { to: 'bob', body: `x; touch ${planted}` });
    expect(direct).toMatchObject({ status: 'failed', deliveries: [{ code: 'shell_prompt' }] });

    // Turned on knowingly, the same text does reach the shell (and runs): the refusal above was real.
    expect(await client.call('agents.setAcceptRelay', 'bob', true)).toMatchObject({ acceptRelay: true });
    const allowed = await client.call('relay.send', { to: 'bob', body: `x; touch ${planted}` });
    await expect.poll(() => fs.existsSync(planted), { timeout: 15_000 }).toBe(true);
    expect(await statusOf(allowed.id)).not.toBe('failed');
  });

  it('delivers to a program started from the shell (the foreground program is what counts)', async () => {
    await client.call('agents.spawn', { name: 'sh1', command: 'bash', args: ['--norc', '--noprofile'], env: { PS1: 'bash$ ' } });
    await expect.poll(() => screen('sh1'), { timeout: 10_000 }).toContain('bash$');
    await client.call('terminal.input', 'sh1', `${process.execPath} ${fixture('relay/bob.mjs')}\r`);
    await expect.poll(() => screen('sh1'), { timeout: 10_000 }).toContain('bob>');
    const sent = await client.call('relay.send', { to: 'sh1', body: 'for the agent' });
    await expect.poll(() => screen('sh1'), { timeout: 15_000 }).toContain(`bob got: Relay message from human [${sent.id}]: for the agent`);
  });

  it('addresses a message to the agent, not its name: removing it fails what waited, and a new agent of that name never gets it', async () => {
    const first = await client.call('agents.spawn', { name: 'Bob', command: process.execPath, args: [fixture('relay/bob.mjs')] });
    await expect.poll(() => screen('Bob'), { timeout: 10_000 }).toContain('bob>');
    await client.call('agents.kill', 'Bob');
    const waiting = await client.call('relay.send', { to: 'Bob', body: 'for the old bob' });
    expect(waiting.status).toBe('queued');
    expect(waiting.recipientIds).toEqual([first.id]);

    await client.call('agents.remove', 'Bob');
    await expect.poll(() => statusOf(waiting.id), { timeout: 5_000 }).toBe('failed');
    expect((await client.call('relay.read', waiting.id)).deliveries[0]).toMatchObject({ code: 'recipient_removed', reason: 'Bob was removed before this message could be delivered.' });
    expect(messages.some((m) => m.id === waiting.id && m.status === 'failed')).toBe(true);

    const second = await client.call('agents.spawn', { name: 'Bob', command: process.execPath, args: [fixture('relay/bob.mjs')] });
    expect(second.id).not.toBe(first.id);
    const fresh = await client.call('relay.send', { to: 'Bob', body: 'for the new bob' });
    await expect.poll(() => screen('Bob'), { timeout: 15_000 }).toContain(`bob got: Relay message from human [${fresh.id}]: for the new bob`);
    expect(await screen('Bob')).not.toContain('for the old bob');
  });

  it('keeps the agent (its id) over a restart, and what waited for it arrives once it is back', async () => {
    const before = await client.call('agents.spawn', { name: 'Bob', command: process.execPath, args: [fixture('relay/bob.mjs')] });
    await expect.poll(() => screen('Bob'), { timeout: 10_000 }).toContain('bob>');
    await client.call('agents.kill', 'Bob');
    const waiting = await client.call('relay.send', { to: 'Bob', body: 'after the restart' });
    expect(waiting.status).toBe('queued');
    const after = await client.call('agents.restart', 'Bob');
    expect(after.id).toBe(before.id);
    await expect.poll(() => screen('Bob'), { timeout: 15_000 }).toContain(`bob got: Relay message from human [${waiting.id}]: after the restart`);
    await expect.poll(() => statusOf(waiting.id), { timeout: 10_000 }).toBe('acknowledged');
  });

  it('wraps an injection in paste markers only for an agent that turned mode 2004 on', async () => {
    await client.call('agents.spawn', { name: 'Plain', command: process.execPath, args: [fixture('relay/raw-input.mjs')] });
    await client.call('agents.spawn', { name: 'Paster', command: process.execPath, args: [fixture('relay/raw-input.mjs')], env: { PASTE_MODE: 'on' } });
    await expect.poll(() => screen('Plain'), { timeout: 10_000 }).toContain('raw>');
    await expect.poll(() => screen('Paster'), { timeout: 10_000 }).toContain('raw>');
    const plain = await client.call('relay.send', { to: 'Plain', body: 'no markers please' });
    const paster = await client.call('relay.send', { to: 'Paster', body: 'markers please' });
    await expect.poll(() => screen('Plain'), { timeout: 15_000 }).toContain('no markers please');
    await expect.poll(() => screen('Paster'), { timeout: 15_000 }).toContain('markers please');
    const plainScreen = (await screen('Plain')).replace(/\n/g, '');
    const pasterScreen = (await screen('Paster')).replace(/\n/g, '');
    expect(plainScreen).toContain(`raw: "Relay message from human [${plain.id}]: no markers please\\r"`);
    expect(plainScreen).not.toContain('\\u001b[200~');
    expect(pasterScreen).toContain(`raw: "\\u001b[200~Relay message from human [${paster.id}]: markers please\\u001b[201~\\r"`);
  });
});
