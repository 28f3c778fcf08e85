import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { SyncClient, normalizeServerUrl } from '../../../main/core/sync/sync-client.js';
import { SyncError } from '../../../main/core/sync/sync-errors.js';

function thrown(run: () => unknown): SyncError {
  try {
    run();
  } catch (error) {
    return error as SyncError;
  }
  throw new Error('expected an error');
}

describe('sync server address', () => {
  it('takes https anywhere and plain http only on this machine', () => {
    expect(normalizeServerUrl('https://sync.example.com/')).toBe('https://sync.example.com');
    expect(normalizeServerUrl('https://sync.example.com/relay/')).toBe('https://sync.example.com/relay');
    for (const local of ['http://127.0.0.1:8080', 'http://localhost:1', 'http://[::1]:9']) expect(normalizeServerUrl(local)).toBe(local);
    const refused = thrown(() => normalizeServerUrl('http://sync.example.com'));
    expect(refused.code).toBe('insecure_server');
    expect(refused.message).toMatch(/plain http/);
    expect(normalizeServerUrl('http://10.0.0.5:8080', true)).toBe('http://10.0.0.5:8080');
  });

  it('refuses what is not a server address', () => {
    expect(thrown(() => normalizeServerUrl('sync.example.com')).code).toBe('invalid_server');
    expect(thrown(() => normalizeServerUrl('ftp://sync.example.com')).code).toBe('invalid_server');
    expect(thrown(() => normalizeServerUrl('https://user:pw@sync.example.com')).code).toBe('invalid_server');
  });

  it('a server that does not answer is offline, with a sentence that names it', async () => {
    // A port that was just free: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(p));
      });
    });
    const error = await SyncClient.info(`http://127.0.0.1:${port}`).catch((e: unknown) => e as SyncError);
    expect(error).toBeInstanceOf(SyncError);
    expect(error).toMatchObject({ code: 'offline', message: expect.stringContaining(`127.0.0.1:${port}`) });
  });
});
