import crypto from 'node:crypto';
import type { AuthError } from '../auth/auth-errors.js';
import fs from 'node:fs';
import path from 'node:path';
import type { AccountView, SignInMethod } from '../../../preload/contract.js';
import { checkCliLogin, findCliExecutable, startCliLogin, type CliLoginStatus } from '../auth/cli-login.js';
import type { Provider } from '../auth/provider-registry.js';
import { writeFileAtomic } from '../base/atomic-file.js';
import { tildePath } from '../credentials/cli-credentials.js';
import { accountKey, raise, type ConnectionContext, type RunningFlow } from './connection-context.js';
import { IMPORTERS } from './local-login-import.js';
import { accountView } from './provider-views.js';

const INSTALL_PACKAGES: Readonly<Record<string, string>> = { anthropic: '@anthropic-ai/claude-code', google: '@google/gemini-cli', openai: '@openai/codex' };

/** The methods the provider's own CLI runs. */
const CLI_METHODS: ReadonlyArray<SignInMethod> = ['cli', 'cli-console', 'cli-token'];
export const isCliMethod = (method: string): boolean => (CLI_METHODS as ReadonlyArray<string>).includes(method);

/** Where an account's own config home lives, relative to the data folder (so it syncs across devices). */
const ACCOUNTS_DIR = 'accounts';
/** Vault `secrets.extra` key of a login file's copy. */
const FILE_KEY = 'file:';
/** Vault `secrets.extra` key of a long-lived token `claude setup-token` printed. */
export const SETUP_TOKEN_KEY = 'oauthToken';

/** Why a login the app made for Claude or Gemini must be made again, said once on the card. */
export function migrationReason(provider: Provider): string {
  const product = provider.cli?.login?.product ?? provider.name;
  return `This login was made by Agent Relay itself, which ${provider.id === 'anthropic' ? 'Anthropic’s terms no longer allow for Claude subscriptions' : 'Google does not allow for Gemini CLI logins'}. It has expired: sign in again and ${product} will sign in itself; Agent Relay only keeps its login.`;
}

/**
 * Sign-ins the provider's own CLI runs (cli, cli-console, cli-token, and import for CLI-owned
 * providers), each into an account home in the data folder, and the vault's copy of its login files.
 */
export class CliSignIns {
  constructor(private readonly ctx: ConnectionContext) {}

  absoluteHome(relative: string): string {
    return path.resolve(this.ctx.options.dataDir, relative);
  }

  /** A new, empty config home for an account of this provider (relative to the data folder). */
  private newAccountHome(provider: Provider): string {
    return path.join(ACCOUNTS_DIR, provider.id, crypto.randomBytes(6).toString('hex'));
  }

  /** The account home a sign-in goes to: the named account's own when it has one, else a new one. */
  private async homeFor(flow: RunningFlow): Promise<{ home: string; existing?: string }> {
    if (flow.account) {
      const existing = await (await this.ctx.vault()).getAccount(flow.provider.id, flow.account);
      if (existing?.meta?.configHome) return { home: existing.meta.configHome, existing: existing.accountId };
    }
    return { home: this.newAccountHome(flow.provider) };
  }

  /** Runs the provider's own CLI login in a pty, with its config home = the account's folder. */
  async runCliLogin(flow: RunningFlow): Promise<void> {
    const { provider } = flow;
    const command = provider.cli?.command ?? '';
    const executable = findCliExecutable(command);
    if (!executable) {
      this.ctx.finish(flow, {
        ok: false,
        error: {
          code: 'cli_not_found',
          message: `${provider.cli?.login?.product ?? command} is not installed here: ${provider.cli?.login?.product ?? command} signs you in itself. Install it (npm install -g ${INSTALL_PACKAGES[provider.id] ?? command}) and try again.`,
        },
      });
      return;
    }
    const { home, existing } = await this.homeFor(flow);
    const login = startCliLogin({
      provider,
      method: flow.method,
      configHome: this.absoluteHome(home),
      executable,
      signal: flow.abort.signal,
      onEvent: (event) => this.ctx.flowEvent(flow, event),
    });
    const done = login.result.then(async (result) => {
      if (!result.ok) {
        if (!existing) fs.rmSync(this.absoluteHome(home), { recursive: true, force: true });
        if (this.ctx.flows.has(flow.id)) this.ctx.finish(flow, result);
        raise(result.error);
      }
      const account = await this.storeCliLogin(flow, home, result.value, flow.method);
      this.ctx.flows.delete(flow.id);
      this.ctx.progress(flow, { phase: 'connected', account });
      return account;
    });
    // Someone waits on `done` only when a code was submitted; the outcome is reported either way.
    done.catch(() => undefined);
    flow.cli = { login, home, ...(existing ? { existing } : {}), done };
  }

  /**
   * Keeps what the CLI stored: the account (named by the CLI's status), its home, and an encrypted
   * copy of its login files (backup and sync). Signing in again as an account that already has a
   * home moves the new login into that home, so its agents keep one folder.
   */
  private async storeCliLogin(flow: RunningFlow, home: string, status: CliLoginStatus, method: SignInMethod, source?: string): Promise<AccountView> {
    const { provider } = flow;
    const vault = await this.ctx.vault();
    const label = flow.account ?? status.email ?? 'default';
    const previous = await vault.getAccount(provider.id, label);
    let keptHome = home;
    if (previous?.meta?.configHome && previous.meta.configHome !== home && previous.provider === provider.id && previous.accountId === label) {
      keptHome = previous.meta.configHome;
      this.copyLoginFiles(provider, this.absoluteHome(home), this.absoluteHome(keptHome));
      fs.rmSync(this.absoluteHome(home), { recursive: true, force: true });
    }
    const files = this.readLoginFiles(provider, this.absoluteHome(keptHome));
    const product = provider.cli?.login?.product ?? provider.name;
    const summary = await vault.upsert({
      provider: provider.id,
      accountId: label,
      name: label,
      ...(status.email ? { email: status.email } : {}),
      ...(status.plan ? { plan: status.plan } : {}),
      method,
      ...(source ? { source } : {}),
      meta: { configHome: keptHome, signedInBy: product, ...(status.authMethod ? { authMethod: status.authMethod } : {}) },
      secrets: {
        // A setup-token lasts a year (Claude Code's own figure) and is handed to Claude Code only.
        ...(status.printedToken ? { expiresAt: Date.now() + 365 * 24 * 3600_000 } : {}),
        extra: { ...files, ...(status.printedToken ? { [SETUP_TOKEN_KEY]: status.printedToken } : {}) },
      },
      state: 'connected',
    });
    this.ctx.audit.record({
      action: method === 'import' ? 'import' : 'connect',
      provider: provider.id,
      account: summary.accountId,
      method,
      outcome: 'ok',
      detail: source ?? `signed in by ${product}`,
    });
    this.ctx.tokensChanged(accountKey(provider.id, summary.accountId));
    await this.ctx.changed();
    return accountView(summary);
  }

  private readLoginFiles(provider: Provider, home: string): Record<string, string> {
    const files: Record<string, string> = {};
    for (const file of provider.cli?.login?.loginFiles ?? []) {
      try {
        files[FILE_KEY + file] = fs.readFileSync(path.join(home, file), 'utf8');
      } catch {
        // not written by this CLI (yet)
      }
    }
    return files;
  }

  private copyLoginFiles(provider: Provider, from: string, to: string): void {
    for (const file of provider.cli?.login?.loginFiles ?? []) {
      const source = path.join(from, file);
      if (!fs.existsSync(source)) continue;
      fs.mkdirSync(path.dirname(path.join(to, file)), { recursive: true, mode: 0o700 });
      writeFileAtomic(path.join(to, file), fs.readFileSync(source), 0o600);
    }
  }

  /** Puts the vault's copy of the login back where the CLI looks, when the folder lost it (new device, sync). */
  restoreCliHome(provider: Provider, relative: string, extra: Readonly<Record<string, string>>): string {
    const home = this.absoluteHome(relative);
    fs.mkdirSync(home, { recursive: true, mode: 0o700 });
    for (const [key, content] of Object.entries(extra)) {
      if (!key.startsWith(FILE_KEY)) continue;
      const file = key.slice(FILE_KEY.length);
      if (!(provider.cli?.login?.loginFiles ?? []).includes(file)) continue;
      const target = path.join(home, file);
      if (fs.existsSync(target)) continue;
      fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
      writeFileAtomic(target, content, 0o600);
      this.ctx.audit.record({ action: 'import', provider: provider.id, outcome: 'ok', detail: `restored ${file} from the vault` });
    }
    return home;
  }

  /**
   * Takes back what the CLI rotated: when its login files differ from the vault's copy, the copy is
   * replaced (encrypted), so a backup or another device gets the live refresh token.
   */
  async adoptCliLogin(provider: Provider, accountId: string): Promise<boolean> {
    const vault = await this.ctx.vault();
    const account = await vault.getAccount(provider.id, accountId);
    if (!account?.meta?.configHome) return false;
    const files = this.readLoginFiles(provider, this.absoluteHome(account.meta.configHome));
    const kept = account.secrets.extra ?? {};
    const changed = Object.entries(files).some(([key, content]) => kept[key] !== content);
    if (!changed) return false;
    await vault.updateSecrets(provider.id, account.accountId, { extra: { ...kept, ...files } });
    this.ctx.audit.record({ action: 'refresh', provider: provider.id, account: account.accountId, outcome: 'ok', detail: `adopted the login ${account.meta.signedInBy ?? 'the CLI'} rotated` });
    await this.ctx.changed();
    return true;
  }

  /** Import for CLI-owned providers: the user's login is copied into a new account home; their files stay as they are. */
  async importIntoAccountHome(flow: RunningFlow): Promise<void> {
    const { provider } = flow;
    const importer = IMPORTERS[provider.id];
    const sourceFile = importer?.file(this.ctx.home);
    const userHome = provider.id === 'google' ? this.ctx.home : sourceFile ? path.dirname(sourceFile) : undefined;
    if (!importer || !sourceFile || !fs.existsSync(sourceFile) || !userHome) {
      this.ctx.finish(flow, { ok: false, error: { code: 'not_signed_in', message: `There is no ${provider.cli?.login?.product ?? provider.name} login to import${sourceFile ? ` (${tildePath(sourceFile, this.ctx.home)} does not exist)` : ''}.` } });
      return;
    }
    const { home } = await this.homeFor(flow);
    const target = this.absoluteHome(home);
    fs.mkdirSync(target, { recursive: true, mode: 0o700 });
    // Read only: the user's own files are copied, never changed.
    this.copyLoginFiles(provider, userHome, target);
    if (provider.id === 'anthropic') this.copyClaudeAccount(target);
    const status = await checkCliLogin(provider, target);
    if (!this.ctx.flows.has(flow.id)) return;
    if (!status.loggedIn) {
      fs.rmSync(target, { recursive: true, force: true });
      this.ctx.finish(flow, { ok: false, error: { code: 'not_signed_in', message: `${tildePath(sourceFile, this.ctx.home)} holds no login ${provider.cli?.login?.product ?? provider.name} accepts.` } });
      return;
    }
    try {
      const account = await this.storeCliLogin(flow, home, status, 'import', `imported from ${tildePath(sourceFile, this.ctx.home)}`);
      this.ctx.flows.delete(flow.id);
      this.ctx.progress(flow, { phase: 'connected', account });
    } catch (error) {
      // A typed error keeps its code (a busy vault is `data_busy`, not a provider's fault).
      this.ctx.finish(flow, { ok: false, error: { code: (error as { code?: AuthError['code'] }).code ?? 'provider_error', message: (error as Error).message } });
    }
  }

  /** Claude Code keeps the account's email in ~/.claude.json → oauthAccount; the copy gets just that. */
  private copyClaudeAccount(target: string): void {
    try {
      const user = JSON.parse(fs.readFileSync(path.join(this.ctx.home, '.claude.json'), 'utf8')) as { oauthAccount?: unknown };
      if (user.oauthAccount) writeFileAtomic(path.join(target, '.claude.json'), JSON.stringify({ oauthAccount: user.oauthAccount }), 0o600);
    } catch {
      // no email to carry over
    }
  }
}
