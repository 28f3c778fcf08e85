import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openHeadlessVault } from '../../../main/core/vault/headless-vault.js';
import { runCliProcess } from '../../support/cli-process.js';
import { descendantsWithEnv, listeningPorts, realClis, runConnect, urlShape, urlTheCliPrints, type ConnectRun } from '../../support/real-cli-login.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { runCli } from '../credentials/real-cli.js';

const clis = realClis();
const reason = 'skip' in clis ? clis.skip : '';
if (reason) console.warn(`Skipping the real-CLI sign-in tests: ${reason}.`);

/**
 * `connect anthropic` / `connect google` against the real Claude Code and Gemini CLI from npm: the
 * CLI signs in (in a pty, its config home = the account's folder); the app reads what it prints,
 * writes the code into its prompt, and believes only the CLI's own status check.
 */
describe.skipIf(Boolean(reason))('sign-in run by the provider’s own CLI (real CLIs)', { timeout: 90_000 }, () => {
  const bins = clis as Exclude<typeof clis, { skip: string }>;
  let tmp: ReturnType<typeof makeTempDir>;
  let runs: ConnectRun[] = [];
  beforeEach(() => {
    tmp = makeTempDir();
    runs = [];
  });
  afterEach(async () => {
    for (const run of runs) {
      if (run.child.exitCode === null) run.child.kill('SIGTERM');
      await run.exited;
    }
    tmp.cleanup();
  });

  const dataDir = () => path.join(tmp.dir, 'data');
  const userHome = () => path.join(tmp.dir, 'home');
  const connect = (provider: string, extra: string[] = []) => {
    fs.mkdirSync(userHome(), { recursive: true });
    const run = runConnect([provider, '--json', '--no-open', '--data-dir', dataDir(), ...extra], {
      AGENT_RELAY_CLIS_DIR: bins.dir,
      HOME: userHome(),
      // The real CLIs must not see a key from the test's environment.
      ANTHROPIC_API_KEY: '',
      GEMINI_API_KEY: '',
    });
    runs.push(run);
    return run;
  };
  const accountHomes = (provider: string) => {
    const dir = path.join(dataDir(), 'accounts', provider);
    return fs.existsSync(dir) ? fs.readdirSync(dir).map((d) => path.join(dir, d)) : [];
  };
  const providersJson = async () => {
    const list = runCliProcess(['providers', '--json', '--data-dir', dataDir()]);
    expect((await list.exited).code).toBe(0);
    return JSON.parse(list.stdout[0]!) as { providers: Array<{ id: string; state: string; accounts: Array<Record<string, unknown>> }> };
  };

  it('Claude: prints the URL claude auth login printed and need-code, from a CLI whose config home is the account folder; opens no listener; a code on stdin reaches the prompt', async () => {
    const reference = fs.mkdtempSync(path.join(tmp.dir, 'ref-'));
    const printed = await urlTheCliPrints(bins.claude, ['auth', 'login', '--claudeai'], { CLAUDE_CONFIG_DIR: reference, BROWSER: 'none' }, reference, /visit: (https:\/\/\S+)/);

    const run = connect('anthropic');
    const open = await run.next('open-url');
    await run.next('need-code');
    expect(urlShape(String(open.url))).toBe(urlShape(printed));
    expect(String(open.url)).toMatch(/^https:\/\/claude\.com\/cai\/oauth\/authorize\?code=true&client_id=9d1c250a-e61b-44d9-88ed-5944d1962f5e&/);
    expect(new URL(String(open.url)).searchParams.get('redirect_uri')).toBe('https://platform.claude.com/oauth/code/callback');

    // The CLI that printed it runs with the account's own folder as its config home.
    const [home] = accountHomes('anthropic');
    expect(home).toBeDefined();
    const cliProcesses = descendantsWithEnv(run.child.pid!, 'CLAUDE_CONFIG_DIR');
    expect(cliProcesses.some((p) => p.value === home && /claude/.test(p.cmdline) && /auth login/.test(p.cmdline))).toBe(true);
    // No loopback listener of the app's own (the CLI's children are not the app).
    expect(listeningPorts(run.child.pid!)).toEqual([]);

    run.child.stdin!.write('not-a-real-code#state\n');
    const error = await run.next('error');
    // Claude Code tried to exchange the code it was given: only a pasted code leads there.
    expect(error).toMatchObject({ event: 'error', code: 'cli_login_failed' });
    expect(String(error.message)).toContain('Paste code here if prompted >');
    expect(String(error.message)).toMatch(/Login failed: .*platform\.claude\.com/);
    expect(await run.exited).toBe(1);
  });

  it('Claude: once the CLI’s credential file is in the account home, claude auth status says logged in, the account is connected and the vault holds the file encrypted', async () => {
    const run = connect('anthropic');
    await run.next('need-code');
    const [home] = accountHomes('anthropic');
    // The stand-in for a successful sign-in at claude.com: what Claude Code itself writes.
    const token = 'sk-ant-oat01-standin-access-0123456789';
    fs.writeFileSync(
      path.join(home!, '.credentials.json'),
      JSON.stringify({ claudeAiOauth: { accessToken: token, refreshToken: 'sk-ant-ort01-standin-refresh-0123456789', expiresAt: Date.now() + 8 * 3600_000, scopes: ['user:inference', 'user:profile'], subscriptionType: 'max' } }),
      { mode: 0o600 },
    );
    const claudeJson = path.join(home!, '.claude.json');
    const existing = fs.existsSync(claudeJson) ? (JSON.parse(fs.readFileSync(claudeJson, 'utf8')) as object) : {};
    fs.writeFileSync(claudeJson, JSON.stringify({ ...existing, oauthAccount: { accountUuid: 'u-1', emailAddress: 'ada@example.com', organizationUuid: 'o-1' } }), { mode: 0o600 });

    const connected = await run.next('connected');
    expect(connected).toMatchObject({ provider: 'anthropic', account: 'ada@example.com', signedInBy: 'Claude Code' });
    run.child.stdin!.end();
    expect(await run.exited).toBe(0);

    // The real CLI agrees.
    const status = runCli(bins.claude, ['auth', 'status'], { CLAUDE_CONFIG_DIR: home!, HOME: userHome() });
    expect(JSON.parse(status.stdout)).toMatchObject({ loggedIn: true, email: 'ada@example.com', subscriptionType: 'max' });

    const state = await providersJson();
    const anthropic = state.providers.find((p) => p.id === 'anthropic')!;
    expect(anthropic.state).toBe('connected');
    expect(anthropic.accounts[0]).toMatchObject({ name: 'ada@example.com', method: 'cli', signedInBy: 'Claude Code', plan: 'max', canRefresh: false });
    expect(JSON.stringify(state)).not.toContain(token);

    // Encrypted at rest, and the copy is the CLI's file as it wrote it.
    const sealed = fs.readFileSync(path.join(dataDir(), 'vault.bin'));
    expect(sealed.includes(Buffer.from(token))).toBe(false);
    const { vault } = await openHeadlessVault(dataDir());
    const account = await vault.getAccount('anthropic', 'ada@example.com');
    expect(account?.secrets.accessToken).toBeUndefined();
    expect(account?.secrets.extra?.['file:.credentials.json']).toContain(token);
    expect(path.resolve(dataDir(), account!.meta!.configHome!)).toBe(home);
  });

  it('Claude setup-token (long-lived): its full-screen prompt is read, the code reaches it, its OAuth error is shown', async () => {
    const run = connect('anthropic', ['--method', 'cli-token']);
    const open = await run.next('open-url');
    expect(new URL(String(open.url)).searchParams.get('scope')).toBe('user:inference');
    await run.next('need-code');
    run.child.stdin!.write('not-a-real-code#state\n');
    const error = await run.next('error');
    expect(String(error.message)).toMatch(/OAuth error: .*platform\.claude\.com/);
    expect(String(error.message)).not.toContain('not-a-real-code');
    expect(await run.exited).toBe(1);
  });

  it('Gemini: prints the URL Gemini CLI printed and need-code; a code on stdin reaches its prompt and its refusal is shown', { timeout: 90_000 }, async () => {
    const reference = fs.mkdtempSync(path.join(tmp.dir, 'ref-'));
    fs.mkdirSync(path.join(reference, '.gemini'));
    fs.writeFileSync(path.join(reference, '.gemini', 'settings.json'), JSON.stringify({ security: { auth: { selectedType: 'oauth-personal' } } }));
    const printed = await urlTheCliPrints(
      bins.gemini,
      [],
      { GEMINI_CLI_HOME: reference, NO_BROWSER: 'true', GEMINI_CLI_TRUST_WORKSPACE: 'true' },
      reference,
      /authorize the application:\s*(https:\/\/\S+)\s/,
    );

    const run = connect('google');
    const open = await run.next('open-url');
    await run.next('need-code');
    expect(urlShape(String(open.url))).toBe(urlShape(printed));
    expect(String(open.url)).toMatch(/^https:\/\/accounts\.google\.com\/o\/oauth2\/v2\/auth\?/);
    expect(new URL(String(open.url)).searchParams.get('redirect_uri')).toBe('https://codeassist.google.com/authcode');
    const [home] = accountHomes('google');
    expect(descendantsWithEnv(run.child.pid!, 'GEMINI_CLI_HOME').some((p) => p.value === home)).toBe(true);
    expect(listeningPorts(run.child.pid!)).toEqual([]);

    run.child.stdin!.write('4/0Ab-not-a-real-code\n');
    const error = await run.next('error');
    expect(error).toMatchObject({ code: 'cli_login_failed' });
    expect(String(error.message)).toMatch(/Failed to authenticate with authorization code/);
    expect(await run.exited).toBe(1);
  });

  it('Gemini: once oauth_creds.json is in the account home the account is connected, named by Gemini CLI’s cached email, the vault holds it encrypted', async () => {
    const run = connect('google');
    await run.next('need-code');
    const [home] = accountHomes('google');
    const token = 'ya29.standin-access-token-0123456789';
    fs.writeFileSync(path.join(home!, '.gemini', 'google_accounts.json'), JSON.stringify({ active: 'grace@example.com', old: [] }));
    fs.writeFileSync(
      path.join(home!, '.gemini', 'oauth_creds.json'),
      JSON.stringify({ access_token: token, refresh_token: '1//standin-refresh', scope: 'https://www.googleapis.com/auth/cloud-platform', token_type: 'Bearer', expiry_date: Date.now() + 3600_000 }),
      { mode: 0o600 },
    );
    const connected = await run.next('connected');
    expect(connected).toMatchObject({ provider: 'google', account: 'grace@example.com', signedInBy: 'Gemini CLI' });
    run.child.stdin!.end();
    expect(await run.exited).toBe(0);

    const state = await providersJson();
    expect(state.providers.find((p) => p.id === 'google')).toMatchObject({ state: 'connected', accounts: [expect.objectContaining({ method: 'cli', signedInBy: 'Gemini CLI' })] });
    expect(fs.readFileSync(path.join(dataDir(), 'vault.bin')).includes(Buffer.from(token))).toBe(false);
    const { vault } = await openHeadlessVault(dataDir());
    expect((await vault.getAccount('google', 'grace@example.com'))?.secrets.extra?.['file:.gemini/oauth_creds.json']).toContain(token);
  });

  it('Codex (a second, CLI-run way for OpenAI): codex login prints its URL; once auth.json is in the account home, codex login status says logged in', async () => {
    const run = connect('openai', ['--method', 'cli']);
    const open = await run.next('open-url');
    const url = new URL(String(open.url));
    expect(url.origin + url.pathname).toBe('https://auth.openai.com/oauth/authorize');
    expect(url.searchParams.get('client_id')).toBe('app_EMoamEEZ73f0CkXaXp7hrann');
    const [home] = accountHomes('openai');
    expect(descendantsWithEnv(run.child.pid!, 'CODEX_HOME').some((p) => p.value === home)).toBe(true);

    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const idToken = `${b64({ alg: 'none' })}.${b64({ email: 'lin@example.com', 'https://api.openai.com/auth': { chatgpt_plan_type: 'plus', chatgpt_account_id: 'acct-9' } })}.sig`;
    fs.writeFileSync(
      path.join(home!, 'auth.json'),
      JSON.stringify({ auth_mode: 'chatgpt', OPENAI_API_KEY: null, tokens: { id_token: idToken, access_token: 'codex-standin-access', refresh_token: 'codex-standin-refresh', account_id: 'acct-9' }, last_refresh: new Date().toISOString() }),
      { mode: 0o600 },
    );
    expect(await run.next('connected')).toMatchObject({ provider: 'openai', account: 'lin@example.com', signedInBy: 'Codex' });
    expect(await run.exited).toBe(0);
    expect(runCli(bins.codex, ['login', 'status'], { CODEX_HOME: home!, HOME: userHome() }).status).toBe(0);
    const state = await providersJson();
    expect(state.providers.find((p) => p.id === 'openai')!.accounts[0]).toMatchObject({ method: 'cli', signedInBy: 'Codex', plan: 'plus', canRefresh: false });
  });

  it('Cancel (Ctrl+C) ends the CLI', async () => {
    const run = connect('anthropic');
    await run.next('need-code');
    const before = descendantsWithEnv(run.child.pid!, 'CLAUDE_CONFIG_DIR').map((p) => p.pid);
    expect(before.length).toBeGreaterThan(0);
    run.child.kill('SIGINT');
    expect(await run.next('error')).toMatchObject({ code: 'cancelled' });
    await run.exited;
    for (const pid of before) expect(fs.existsSync(`/proc/${pid}`)).toBe(false);
  });
});
