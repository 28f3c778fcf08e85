import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TerminalOutput } from '../../../preload/contract.js';
import { connectClient, type NodeClient } from '../../../main/core/transport/client.js';
import { startServer, type RunningServer } from '../../../main/core/transport/server.js';
import { createService, type RelayService } from '../../../main/core/service.js';
import { JsonFileSettingsStore } from '../../../main/core/settings/settings-store.js';
import { captureLogger } from '../../support/capture-logger.js';
import { makeTempDir } from '../../support/temp-dir.js';

const TOKEN = 't'.repeat(48);
const fixture = (name: string) => path.resolve('test/fixtures', name);

/** The relay skips the costly parse for output that cannot hold a relay line; one that can must still get through. */
describe('a relay line inside a flood', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let service: RelayService;
  let server: RunningServer;
  let client: NodeClient;

  beforeEach(async () => {
    tmp = makeTempDir();
    const { logger } = captureLogger();
    service = createService({ host: 'headless', version: 't', dataDir: tmp.dir, settingsStore: new JsonFileSettingsStore(tmp.dir), logger, defaultAgentCwd: tmp.dir });
    server = await startServer({ service, token: TOKEN, host: '127.0.0.1', port: 0, fallbackToFreePort: false, logger });
    client = await connectClient(`http://127.0.0.1:${server.port}`, TOKEN);
  });
  afterEach(async () => {
    client.close();
    await server.close();
    await service.close();
    tmp.cleanup();
  });

  it('arrives once, whole, while a console watches the flood', async () => {
    await client.call('agents.spawn', { name: 'Bob', command: process.execPath, args: [fixture('relay/bob.mjs')] });
    await client.call('agents.spawn', {
      name: 'Flood',
      command: process.execPath,
      args: [fixture('agents/colour-flood.mjs'), '20000', 'stay'],
      env: { FLOOD_RELAY: '  ⏺ ->relay:Bob the flood says hello' },
    });
    // A console on the flood, acknowledging as the page does, so the pty runs at full speed.
    await client.call('terminal.attach', 'Flood');
    let seen = '';
    client.on('terminal.output', (out: TerminalOutput) => {
      if (out.name !== 'Flood') return;
      seen = (seen + out.data).slice(-200);
      void client.call('terminal.ack', 'Flood', out.data.length);
    });
    await expect.poll(() => seen, { timeout: 60_000 }).toContain('FLOOD DONE');

    await expect
      .poll(async () => (await client.call('terminal.screen', 'Bob')).join('\n'), { timeout: 15_000 })
      .toMatch(/bob got: Relay message from Flood \[[0-9a-z]+\]: the flood says hello/);
    const history = await client.call('relay.history', {});
    expect(history.items.map((m) => [m.from, m.to, m.body])).toEqual([['Flood', 'Bob', 'the flood says hello']]);
  }, 90_000);
});
