import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../support/temp-dir.js';
import { addUser, api, apiToken, connectedProviders, openDevice, signInDevice, startCloud, waitFor, type CloudServer, type Device } from './sync-support.js';

const PASSWORD = 'user-password-1234';

describe('offline: changes are kept locally and sent when the server is back', () => {
  let cloudDir: ReturnType<typeof makeTempDir>;
  let cloud: CloudServer;
  let a: Device;
  let b: Device;

  beforeAll(async () => {
    cloudDir = makeTempDir('sync-cloud-');
    cloud = await startCloud(cloudDir.dir);
    await addUser(cloudDir.dir, 'offline@example.test', PASSWORD);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await cloud?.stop();
    cloudDir?.cleanup();
  });

  it('says Offline while the server is down, keeps the change, and pushes it once the server answers again', async () => {
    a = openDevice('laptop');
    b = openDevice('desktop');
    await signInDevice(a, cloud.url, 'offline@example.test', PASSWORD);
    await a.call('sync.enable', { passphrase: 'offline passphrase' });
    await signInDevice(b, cloud.url, 'offline@example.test', PASSWORD);
    await b.call('sync.enable', { passphrase: 'offline passphrase' });

    const port = Number(new URL(cloud.url).port);
    await cloud.stop();
    await a.call('providers.saveApiKey', { provider: 'openai', apiKey: 'sk-made-offline-0010' });
    const offline = await waitFor(() => a.statuses.find((s) => s.state === 'offline'));
    expect(offline.message).toMatch(/Offline — changes are kept on this device/);
    expect(await connectedProviders(a)).toEqual(['openai']);

    // Same address, same database: the device's backoff retry gets through on its own.
    cloud = await startCloud(cloudDir.dir, port);
    await waitFor(() => a.statuses.at(-1)?.state === 'up_to_date', 30_000);
    await waitFor(async () => (await b.call('sync.now')).state === 'up_to_date' && (await connectedProviders(b)).includes('openai'));
    const token = await apiToken(cloud.url, 'offline@example.test', PASSWORD);
    expect((await api(cloud.url, token, 'GET', '/vault')).body.version).toBeGreaterThanOrEqual(1);
  }, 120_000);
});
