import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { unreachableText } from '../../../main/core/auth/oauth-client.js';

/** What fetch really throws for this URL. */
async function fetchFailure(url: string): Promise<Error> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    return error as Error;
  }
  throw new Error(`${url} answered`);
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('a sign-in that cannot connect says so in words, with the host', () => {
  it('names the host a name lookup failed for, never a bare ENOTFOUND', async () => {
    const text = unreachableText(await fetchFailure('https://no-such-host.invalid/oauth/token'), 'Claude');
    expect(text).toBe('Could not reach no-such-host.invalid — check your connection.');
  });

  it('names the address and port that refused the connection', async () => {
    const port = await closedPort();
    const text = unreachableText(await fetchFailure(`http://127.0.0.1:${port}/token`), 'Custom');
    expect(text).toBe(`Could not reach 127.0.0.1:${port}: nothing answered there. Check your connection, or whether the server is running.`);
  });
});
