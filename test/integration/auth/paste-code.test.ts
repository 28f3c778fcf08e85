import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuthFlowEvent } from '../../../main/core/auth/flow-events.js';
import { startPasteCodeFlow } from '../../../main/core/auth/paste-code.js';
import { type OidcServer, startOidcServer } from '../../support/oidc-server.js';
import { customOidcEntry, expectNoSecretsLeaked, makeDataDir, providerFromConfig, secretsOf, writeProvidersJson } from '../../support/auth-fixtures.js';

let oidc: OidcServer;
let dataDir: string;
let codePage: http.Server;
let codePageUrl: string;

beforeEach(async () => {
  // Anthropic-style: JSON token bodies.
  oidc = await startOidcServer({ jsonTokenRequests: true });
  dataDir = makeDataDir();
  // Stands in for console.anthropic.com/oauth/code/callback: shows `code#state` for the user to copy.
  codePage = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<p>Paste this code into your app:</p><code id="code">${url.searchParams.get('code')}#${url.searchParams.get('state')}</code>`);
  });
  await new Promise<void>((resolve) => codePage.listen(0, '127.0.0.1', resolve));
  codePageUrl = `http://127.0.0.1:${(codePage.address() as AddressInfo).port}/callback`;
  writeProvidersJson(dataDir, {
    'test-oidc': customOidcEntry(oidc.issuer, { methods: ['paste'], pasteRedirectUri: codePageUrl, tokenRequestEncoding: 'json' }),
  });
});

afterEach(async () => {
  await oidc.close();
  await new Promise<void>((resolve) => codePage.close(() => resolve()));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function startFlow() {
  const events: AuthFlowEvent[] = [];
  const started = await startPasteCodeFlow({ provider: providerFromConfig(dataDir, 'test-oidc'), onEvent: (e) => events.push(e) });
  if (!started.ok) throw new Error(started.error.message);
  return { flow: started.value, events };
}

function shownCode(html: string): string {
  const code = /<code id="code">([^<]*)<\/code>/.exec(html)?.[1];
  if (!code) throw new Error('no code on the page');
  return code;
}

describe('paste-code sign-in against a real OAuth server', () => {
  it('exchanges a pasted code#state (wrapped over lines) with a JSON body', async () => {
    const { flow, events } = await startFlow();
    expect(events.map((e) => e.event)).toEqual(['open-url', 'need-code']);
    const page = await oidc.user.authorize(flow.authorizeUrl);
    const pair = shownCode(page.html);
    const wrapped = `  ${pair.slice(0, 10)}\n${pair.slice(10, 30)}\r\n${pair.slice(30)}  `;
    const result = await flow.submit(wrapped);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.account?.email).toBe('alice@example.test');
    const exchange = oidc.tokenBodies.at(-1);
    expect(exchange?.contentType).toMatch(/^application\/json/);
    expect(exchange?.keys).toEqual(['client_id', 'code', 'code_verifier', 'grant_type', 'redirect_uri', 'state']);
    expectNoSecretsLeaked({ dataDir, secrets: secretsOf(result.value) });
  });

  it('accepts the full callback URL', async () => {
    const { flow } = await startFlow();
    const page = await oidc.user.authorize(flow.authorizeUrl);
    const result = await flow.submit(page.url);
    expect(result.ok).toBe(true);
  });

  it('refuses a code#state from another sign-in attempt and exchanges nothing', async () => {
    const first = await startFlow();
    const second = await startFlow();
    const page = await oidc.user.authorize(first.flow.authorizeUrl);
    const result = await second.flow.submit(shownCode(page.html));
    expect(result.ok ? 'ok' : result.error.code).toBe('state_mismatch');
    expect(oidc.countGrants('authorization_code')).toBe(0);
  });

  it('a code alone is exchanged with PKCE; someone else’s code fails at the server', async () => {
    const mine = await startFlow();
    const page = await oidc.user.authorize(mine.flow.authorizeUrl);
    const codeOnly = shownCode(page.html).split('#')[0]!;
    const other = await startFlow();
    const stolen = await other.flow.submit(codeOnly);
    expect(stolen.ok ? 'ok' : stolen.error.code).toBe('invalid_grant');
    const page2 = await oidc.user.authorize(other.flow.authorizeUrl);
    const result = await other.flow.submit(shownCode(page2.html).split('#')[0]!);
    expect(result.ok ? 'ok' : result.error.code).toBe('already_used');
  });
});
