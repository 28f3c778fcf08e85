import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import readline from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { customOidcEntry, writeProvidersJson } from '../../support/auth-fixtures.js';
import { CLI_ENTRY } from '../../support/cli-process.js';
import { startOidcServer, type OidcServer } from '../../support/oidc-server.js';
import { makeTempDir } from '../../support/temp-dir.js';

/** `connect --method paste --json`: the code the user pastes arrives on stdin, as a script would pipe it. */
describe('connect with a pasted code', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let oidc: OidcServer;
  let codePage: http.Server;

  beforeEach(async () => {
    tmp = makeTempDir();
    oidc = await startOidcServer({ jsonTokenRequests: true });
    // Stands in for the provider's page that shows `code#state` to copy.
    codePage = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<code id="code">${url.searchParams.get('code')}#${url.searchParams.get('state')}</code>`);
    });
    await new Promise<void>((resolve) => codePage.listen(0, '127.0.0.1', resolve));
    const pasteRedirectUri = `http://127.0.0.1:${(codePage.address() as AddressInfo).port}/callback`;
    writeProvidersJson(tmp.dir, { 'test-oidc': customOidcEntry(oidc.issuer, { methods: ['paste'], pasteRedirectUri, tokenRequestEncoding: 'json' }) });
  });
  afterEach(async () => {
    await oidc.close();
    await new Promise<void>((resolve) => codePage.close(() => resolve()));
    tmp.cleanup();
  });

  it('asks for the code, refuses a wrong one and keeps asking, then connects with the right one', async () => {
    const child = spawn(process.execPath, [CLI_ENTRY, 'connect', 'test-oidc', '--method', 'paste', '--json', '--no-open', '--data-dir', tmp.dir], {
      env: { ...process.env, AGENT_RELAY_DATA_DIR: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const events: Array<Record<string, unknown>> = [];
    const lines = readline.createInterface({ input: child.stdout });
    const next = (event: string) =>
      new Promise<Record<string, unknown>>((resolve) => {
        const check = () => {
          const found = events.find((e) => e.event === event);
          if (found) resolve(found);
          else setTimeout(check, 20);
        };
        check();
      });
    lines.on('line', (line) => events.push(JSON.parse(line) as Record<string, unknown>));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));

    const { url } = (await next('open-url')) as { url: string };
    await next('need-code');
    child.stdin.write('not-the-code#wrong-state\n');
    await expect.poll(() => events.some((e) => e.event === 'error' && e.retry === true), { timeout: 10_000 }).toBe(true);

    const page = await oidc.user.authorize(url);
    const pair = /<code id="code">([^<]*)<\/code>/.exec(page.html)![1]!;
    child.stdin.write(`  ${pair}  \n`);
    expect(await exited).toBe(0);
    expect(events.at(-1)).toMatchObject({ event: 'connected', provider: 'test-oidc' });
  });
});
