import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AccountView, ProvidersState, ProviderView, SignInMethod, SignInProgress, VaultStatus } from '../../../preload/contract.js';
import { checkApiKey } from '../auth/api-key-check.js';
import type { AuthError, AuthResult } from '../auth/auth-errors.js';
import { signInWithBrowser } from '../auth/browser-flow.js';
import { checkCliLogin, findCliExecutable, startCliLogin, type CliLogin, type CliLoginStatus } from '../auth/cli-login.js';
import { signInWithCodexDeviceCode } from '../auth/codex-device-flow.js';
import type { CredentialStore, StoredAccount } from '../auth/credential-store.js';
import { signInWithDeviceCode } from '../auth/device-flow.js';
import type { AuthFlowEvent } from '../auth/flow-events.js';
import type { FetchFunction } from '../auth/oauth-client.js';
import { startPasteCodeFlow, type PasteFlow } from '../auth/paste-code.js';
import { loadProviderRegistry, providersConfigPath, type Provider, type ProviderRegistry } from '../auth/provider-registry.js';
import { RefreshOwner, type RefreshLease } from '../auth/refresh.js';
import { revokeTokens } from '../auth/revoke.js';
import { checkSelfHostedEndpoint } from '../auth/self-hosted.js';
import { SignInFlows, type ProgressUpdate, type SignInFlow } from '../auth/sign-in-flows.js';
import type { TokenSet } from '../auth/token-set.js';
import { BridgeError } from '../bridge/errors.js';
import { writeFileAtomic } from '../base/atomic-file.js';
import type { CliTokens, CredentialResult, ImportedLogin } from '../credentials/cli-credentials.js';
import { tildePath } from '../credentials/cli-credentials.js';
import { importClaudeLogin } from '../credentials/claude-credentials.js';
import { importCodexLogin } from '../credentials/codex-credentials.js';
import { importCopilotLogin } from '../credentials/copilot-credentials.js';
import { importGeminiLogin } from '../credentials/gemini-credentials.js';
import type { Logger } from '../logging/logger.js';
import { createAuditLog, type AuditLog } from '../vault/audit-log.js';
import type { CredentialVault } from '../vault/credential-vault.js';
import type { AccountSummary, VaultProblem } from '../vault/vault-types.js';

/** Consent is asked only where the OS offers no key store (Electron on Linux without a keyring). */
const NO_KEYRING_CONSENT =
  'This system has no keyring, so your sign-ins would be encrypted only with a fixed key built into the app: anyone who can read your data folder could decrypt them. Agree to that first, or set up a keyring (such as GNOME Keyring or KWallet) and restart.';

export interface ProviderConnectionsOptions {
  dataDir: string;
  logger: Logger;
  /** providers.json (default: in the data dir). */
  providersConfig?: string;
  openVault: () => Promise<{ vault: CredentialVault; problem?: VaultProblem }>;
  /** Electron without a real key store: nothing is stored before the user agrees. */
  consentRequired?: boolean;
  /** The user's home, where local CLIs keep the logins that can be imported. */
  home?: string;
  fetch?: FetchFunction;
  /** Opens an authorize or verification page in the system browser (Electron); the UI offers it too. */
  openUrl?: (url: string) => void;
  onChanged: (state: ProvidersState) => void;
  onProgress: (progress: SignInProgress) => void;
}

interface RunningFlow extends SignInFlow {
  readonly provider: Provider;
  readonly method: SignInMethod;
  readonly account: string | undefined;
  paste?: PasteFlow;
  /** A sign-in run by the provider's own CLI, and the account home it signs in to. */
  cli?: { login: CliLogin; home: string; existing?: string; done: Promise<AccountView> };
}

const INSTALL_PACKAGES: Readonly<Record<string, string>> = { anthropic: '@anthropic-ai/claude-code', google: '@google/gemini-cli', openai: '@openai/codex' };

/** The methods the provider's own CLI runs. */
const CLI_METHODS: ReadonlyArray<SignInMethod> = ['cli', 'cli-console', 'cli-token'];
export const isCliMethod = (method: string): boolean => (CLI_METHODS as ReadonlyArray<string>).includes(method);

/** Where an account's own config home lives, relative to the data folder (so it syncs across devices). */
const ACCOUNTS_DIR = 'accounts';
/** Vault `secrets.extra` key of a login file's copy. */
const FILE_KEY = 'file:';
/** Vault `secrets.extra` key of a long-lived token `claude setup-token` printed. */
const SETUP_TOKEN_KEY = 'oauthToken';

/** Why a login the app made for Claude or Gemini must be made again, said once on the card. */
function migrationReason(provider: Provider): string {
  const product = provider.cli?.login?.product ?? provider.name;
  return `This login was made by Agent Relay itself, which ${provider.id === 'anthropic' ? 'Anthropic’s terms no longer allow for Claude subscriptions' : 'Google does not allow for Gemini CLI logins'}. It has expired: sign in again and ${product} will sign in itself; Agent Relay only keeps its login.`;
}

export interface UsageLimitNotice {
  readonly message: string;
  readonly at: number;
  readonly resetsAt?: number;
  readonly resetText?: string;
}

/** Where each local CLI keeps the login that "Import" takes over (read only). */
const IMPORTERS: Readonly<Record<string, { file: (home: string) => string; run: (home: string) => CredentialResult<ImportedLogin> }>> = {
  anthropic: { file: (home) => path.join(home, '.claude', '.credentials.json'), run: (home) => importClaudeLogin({ home }) },
  openai: { file: (home) => path.join(home, '.codex', 'auth.json'), run: (home) => importCodexLogin({ home }) },
  google: { file: (home) => path.join(home, '.gemini', 'oauth_creds.json'), run: (home) => importGeminiLogin({ home }) },
  'github-copilot': {
    file: (home) => path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'github-copilot', 'apps.json'),
    run: (home) => importCopilotLogin({ home }),
  },
};

const CONSENT_FILE = 'vault-consent.json';
const BACKGROUND_REFRESH_MS = 60_000;

function accountView(summary: AccountSummary, limit?: UsageLimitNotice): AccountView {
  return {
    ...(summary.signedInBy ? { signedInBy: summary.signedInBy } : {}),
    ...(summary.configHome ? { configHome: summary.configHome } : {}),
    ...(limit ? { usageLimit: { ...limit } } : {}),
    provider: summary.provider,
    accountId: summary.accountId,
    name: summary.name,
    ...(summary.email ? { email: summary.email } : {}),
    ...(summary.plan ? { plan: summary.plan } : {}),
    method: summary.method,
    ...(summary.source ? { source: summary.source } : {}),
    ...(summary.expiresAt !== undefined ? { expiresAt: summary.expiresAt } : {}),
    state: summary.state,
    ...(summary.stateReason ? { stateReason: summary.stateReason } : {}),
    updatedAt: summary.updatedAt,
    isDefault: summary.isDefault,
    canRefresh: summary.canRefresh,
  };
}

/** What a sign-in or an import yields, before it goes into the vault. */
interface ObtainedLogin {
  readonly tokens?: TokenSet;
  readonly apiKey?: string;
  /** "imported from ~/.codex/auth.json" */
  readonly source?: string;
  readonly plan?: string;
}

const fromTokens = (result: AuthResult<TokenSet>): AuthResult<ObtainedLogin> => (result.ok ? { ok: true, value: { tokens: result.value } } : result);

const accountKey = (provider: string, accountId: string): string => `${provider}:${accountId}`;

function raise(error: AuthError): never {
  throw new BridgeError(error.code, error.message);
}

/**
 * Provider accounts: the registry, every sign-in method, the encrypted vault, and the refresh owner
 * that keeps tokens fresh for agents. Secrets stay in here; the UI gets AccountViews.
 */
export class ProviderConnections {
  private registry: ProviderRegistry;
  private vaultOpening: Promise<CredentialVault> | undefined;
  private vaultProblem: VaultProblem | undefined;
  private readonly flows: SignInFlows<RunningFlow>;
  private readonly audit: AuditLog;
  private readonly refresher: RefreshOwner;
  private readonly home: string;
  private consented: boolean;
  private readonly timer: NodeJS.Timeout;
  private readonly tokenListeners = new Set<(provider: string, accountId: string) => void>();
  /** Usage limits agents reported, per account key; kept in memory (they pass), never synced. */
  private readonly limits = new Map<string, UsageLimitNotice>();
  /** Set by cloud sync while it is on: refreshes across devices take a lease first. */
  private refreshLease: RefreshLease | undefined;

  constructor(private readonly options: ProviderConnectionsOptions) {
    this.flows = new SignInFlows(options.onProgress);
    this.registry = loadProviderRegistry(providersConfigPath(options.dataDir, options.providersConfig));
    for (const problem of this.registry.errors) options.logger.warn('providers.json problem', { problem: problem.message });
    this.audit = createAuditLog(options.dataDir);
    this.home = options.home ?? os.homedir();
    this.consented = fs.existsSync(path.join(options.dataDir, CONSENT_FILE));
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- read by the lease getter below
    const self = this;
    this.refresher = new RefreshOwner({
      store: this.tokenStore(),
      providers: (id) => this.registry.get(id),
      lockDir: path.join(options.dataDir, 'locks'),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      logger: options.logger.child('refresh'),
      // A getter: sync turns on and off while the refresh owner lives.
      get lease() {
        return self.refreshLease;
      },
      onAudit: (event) => {
        if (event.type === 'refreshed' || event.type === 'adopted') this.tokensChanged(event.key);
        this.audit.record({
          action: event.type === 'refreshed' ? 'refresh' : 'failure',
          provider: event.key.split(':')[0],
          account: event.key.split(':').slice(1).join(':'),
          outcome: event.type === 'refreshed' ? 'ok' : 'error',
          ...('code' in event && event.code ? { code: event.code } : {}),
        });
      },
    });
    // Refresh ahead of expiry, so an agent started later never waits on a refresh.
    this.timer = setInterval(() => void this.refreshExpiring(), BACKGROUND_REFRESH_MS);
    this.timer.unref();
  }

  provider(id: string): Provider {
    const provider = this.registry.get(id);
    if (provider) return provider;
    throw new BridgeError('unknown_provider', `There is no provider ${JSON.stringify(id)}. Providers: ${this.registry.providers.map((p) => p.id).join(', ')}.`);
  }

  async state(): Promise<ProvidersState> {
    const vault = await this.vault();
    const accounts = (await vault.list()).map((a) => accountView(a, this.currentLimit(accountKey(a.provider, a.accountId))));
    const providers: ProviderView[] = this.registry.providers.map((p) => {
      const importer = IMPORTERS[p.id];
      const importFile = importer && p.methods.includes('import') ? importer.file(this.home) : undefined;
      return {
        id: p.id,
        name: p.name,
        description: p.description,
        brandColor: p.brandColor,
        logo: p.logo,
        kind: p.kind,
        ...(p.notice ? { notice: p.notice } : {}),
        methods: [...p.methods],
        methodNotes: { ...p.methodNotes },
        ...(p.cli?.login ? { signInBy: p.cli.login.product } : {}),
        ...(p.cli ? { cli: { command: p.cli.command, ...(p.cli.skipPermissionsFlag ? { skipPermissionsFlag: p.cli.skipPermissionsFlag } : {}) } } : {}),
        ...(importFile && fs.existsSync(importFile) ? { importSource: tildePath(importFile, this.home) } : {}),
        ...(p.defaultBaseUrl ? { defaultBaseUrl: p.defaultBaseUrl } : {}),
        accounts: accounts.filter((a) => a.provider === p.id),
      };
    });
    return { providers, vault: this.vaultStatus(vault), configProblems: this.registry.errors.map((e) => e.message) };
  }

  /** Starts a sign-in and returns at once; progress goes out through onProgress. */
  async connect(request: { provider: string; method: Exclude<SignInMethod, 'api-key'>; account?: string }): Promise<{ flowId: string }> {
    const provider = this.provider(request.provider);
    if (!provider.methods.includes(request.method)) {
      throw new BridgeError('method_not_supported', `${provider.name} does not offer ${request.method} sign-in; it offers ${provider.methods.join(', ')}.`);
    }
    await this.requireConsent();
    const flow = this.flows.start(provider.id, request.method, { provider, method: request.method, account: request.account });
    void this.run(flow);
    return { flowId: flow.id };
  }

  async submitCode(flowId: string, code: string): Promise<AccountView> {
    const flow = this.flows.get(flowId);
    if (flow?.cli) {
      // The code goes into the CLI's own prompt; the CLI's status check decides.
      flow.cli.login.submit(code);
      return flow.cli.done;
    }
    if (!flow?.paste) throw new BridgeError('no_such_flow', 'That sign-in is not waiting for a code any more; start a new one.');
    const result = await flow.paste.submit(code);
    if (!result.ok) {
      // A paste that did not parse leaves the flow open for another try; a failed exchange ends it.
      if (result.error.code !== 'invalid_code' && result.error.code !== 'state_mismatch') this.finish(flow, result);
      raise(result.error);
    }
    const account = await this.store(flow, { tokens: result.value }, flow.method);
    this.flows.delete(flow.id);
    this.progress(flow, { phase: 'connected', account });
    return account;
  }

  /** Ends a sign-in; a CLI-run one resolves once the CLI itself has ended. */
  async cancel(flowId: string): Promise<void> {
    const cli = this.flows.get(flowId)?.cli;
    if (!cli) return this.flows.cancel(flowId);
    // The CLI is ended first, so "cancelled" is only said once nothing runs any more.
    const flow = this.flows.get(flowId)!;
    flow.abort.abort();
    this.flows.delete(flowId);
    await cli.login.result;
    this.progress(flow, { phase: 'cancelled' });
  }

  async saveApiKey(request: { provider: string; apiKey: string; account?: string; baseUrl?: string }): Promise<AccountView> {
    const provider = this.provider(request.provider);
    if (!provider.methods.includes('api-key')) throw new BridgeError('method_not_supported', `${provider.name} does not take an API key.`);
    await this.requireConsent();
    const source = await this.checkedKeySource(provider, request);
    const vault = await this.vault();
    const summary = await vault.upsert({
      provider: provider.id,
      name: request.account ?? 'API key',
      method: 'api-key',
      source,
      secrets: { apiKey: request.apiKey },
      ...(request.baseUrl ? { meta: { baseUrl: request.baseUrl } } : {}),
    });
    this.audit.record({ action: 'connect', provider: provider.id, account: summary.accountId, method: 'api-key', outcome: 'ok' });
    await this.changed();
    return accountView(summary);
  }

  /**
   * Asks the provider whether it takes the key (its cheapest authenticated call, from the registry)
   * and says what came of it; a key it refuses is not saved. Keys for a custom base URL, for providers
   * without such a call, or while the provider cannot be reached are saved as "not checked".
   */
  private async checkedKeySource(provider: Provider, request: { apiKey: string; baseUrl?: string }): Promise<string> {
    if (!provider.apiKeyCheck) return 'via API key, not checked';
    if (request.baseUrl) return `via API key, not checked (sent to ${request.baseUrl})`;
    const check = await checkApiKey(provider.apiKeyCheck, request.apiKey, provider.name, this.options.fetch ? { fetch: this.options.fetch } : {});
    if (check.ok) return `via API key, accepted by ${check.value.host}`;
    if (check.error.code === 'network_error') return `via API key, not checked: ${check.error.message.replace(/\.$/, '')}`;
    raise(check.error);
  }

  async connectSelfHosted(request: { provider: string; baseUrl: string; apiKey?: string; account?: string }): Promise<AccountView> {
    const provider = this.provider(request.provider);
    if (provider.kind !== 'self-hosted') throw new BridgeError('method_not_supported', `${provider.name} is not a self-hosted endpoint.`);
    await this.requireConsent();
    const check = await checkSelfHostedEndpoint({
      baseUrl: request.baseUrl,
      ...(request.apiKey ? { apiKey: request.apiKey } : {}),
      ...(provider.modelsPath ? { modelsPath: provider.modelsPath } : {}),
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
    });
    if (!check.ok) raise(check.error);
    const models = check.value.models;
    const vault = await this.vault();
    const summary = await vault.upsert({
      provider: provider.id,
      accountId: request.account ?? request.baseUrl,
      name: request.account ?? request.baseUrl,
      plan: `${models.length} model${models.length === 1 ? '' : 's'}`,
      method: 'self-hosted',
      meta: { baseUrl: request.baseUrl, models: models.slice(0, 50).join(',') },
      secrets: request.apiKey ? { apiKey: request.apiKey } : {},
    });
    this.audit.record({ action: 'connect', provider: provider.id, account: summary.accountId, method: 'self-hosted', outcome: 'ok' });
    await this.changed();
    return accountView(summary);
  }

  async disconnect(providerId: string, accountId: string): Promise<{ revoked: boolean }> {
    const provider = this.provider(providerId);
    const vault = await this.vault();
    const account = await vault.getAccount(provider.id, accountId);
    if (!account) throw new BridgeError('account_not_found', `${provider.name} has no account ${JSON.stringify(accountId)}.`);
    let revoked = false;
    // Logins of CLI-owned providers are never sent to the provider by the app, not even to revoke.
    if (provider.loginOwner === 'app' && (account.secrets.accessToken || account.secrets.refreshToken)) {
      const outcome = await revokeTokens(provider, account.secrets as TokenSet, this.options.fetch ? { fetch: this.options.fetch } : {});
      // Revocation is a courtesy to the provider: the account is removed here either way.
      revoked = outcome.ok && outcome.value.revoked;
      if (!outcome.ok) this.options.logger.warn('token revocation failed', { provider: provider.id, code: outcome.error.code });
    }
    await vault.remove(provider.id, accountId);
    if (account.meta?.configHome) fs.rmSync(this.absoluteHome(account.meta.configHome), { recursive: true, force: true });
    this.limits.delete(accountKey(provider.id, accountId));
    this.audit.record({ action: 'disconnect', provider: provider.id, account: accountId, outcome: 'ok', detail: revoked ? 'token revoked' : 'no revocation' });
    await this.changed();
    return { revoked };
  }

  async setDefault(providerId: string, accountId: string): Promise<AccountView> {
    const summary = await (await this.vault()).setDefault(this.provider(providerId).id, accountId);
    await this.changed();
    return accountView(summary);
  }

  async consent(): Promise<VaultStatus> {
    writeFileAtomic(path.join(this.options.dataDir, CONSENT_FILE), JSON.stringify({ agreedAt: new Date().toISOString() }));
    this.consented = true;
    await this.changed();
    return this.vaultStatus(await this.vault());
  }

  /**
   * Tokens good for the next minutes for an agent of this provider (default account unless named),
   * refreshed first when they expire soon. Daemon only.
   */
  async freshCredentials(
    providerId: string,
    accountId?: string,
  ): Promise<{ account: AccountView; tokens?: TokenSet; apiKey?: string; cliHome?: string; oauthToken?: string; meta: Readonly<Record<string, string>> }> {
    const provider = this.provider(providerId);
    const vault = await this.vault();
    const account = await vault.getAccount(provider.id, accountId);
    if (!account) {
      throw new BridgeError(
        'provider_not_connected',
        accountId ? `${provider.name} has no account ${JSON.stringify(accountId)}.` : `${provider.name} is not connected yet: sign in on the Providers page or with agent-relay-desktop connect ${provider.id}.`,
      );
    }
    const summary = (await vault.list(provider.id)).find((a) => a.accountId === account.accountId)!;
    if (account.state === 'needs_signin') throw new BridgeError('needs_signin', `${provider.name} (${account.name}) needs you to sign in again. ${account.stateReason ?? ''}`.trim());
    const view = accountView(summary, this.currentLimit(accountKey(provider.id, account.accountId)));
    if (account.meta?.configHome) {
      // The CLI keeps this login in the account's home; the app only makes sure the folder holds it.
      const home = this.restoreCliHome(provider, account.meta.configHome, account.secrets.extra ?? {});
      const oauthToken = account.secrets.extra?.[SETUP_TOKEN_KEY];
      return { account: view, cliHome: home, ...(oauthToken ? { oauthToken } : {}), meta: account.meta };
    }
    if (provider.loginOwner === 'cli' && account.secrets.accessToken) {
      // A login the old direct flow made: it works until it expires; the app never refreshes it.
      if (account.secrets.expiresAt !== undefined && account.secrets.expiresAt <= Date.now()) {
        await vault.setState(provider.id, account.accountId, 'needs_signin', migrationReason(provider));
        this.audit.record({ action: 'failure', provider: provider.id, account: account.accountId, outcome: 'error', code: 'needs_signin', detail: 'old direct login expired' });
        await this.changed();
        throw new BridgeError('needs_signin', migrationReason(provider));
      }
      const s = account.secrets;
      return {
        account: view,
        tokens: {
          accessToken: s.accessToken!,
          ...(s.refreshToken ? { refreshToken: s.refreshToken } : {}),
          ...(s.idToken ? { idToken: s.idToken } : {}),
          ...(s.expiresAt !== undefined ? { expiresAt: s.expiresAt } : {}),
          ...(s.scope ? { scope: s.scope } : {}),
        },
        meta: account.meta ?? {},
      };
    }
    if (!account.secrets.accessToken) {
      return { account: view, ...(account.secrets.apiKey ? { apiKey: account.secrets.apiKey } : {}), meta: account.meta ?? {} };
    }
    const fresh = await this.refresher.getFreshToken(accountKey(provider.id, account.accountId));
    if (!fresh.ok) {
      await this.changed();
      raise(fresh.error);
    }
    return { account: view, tokens: fresh.value, meta: account.meta ?? {} };
  }

  /** An agent's CLI refreshed on its own: keep its rotated tokens (the old refresh token is dead). */
  async adoptRotated(providerId: string, accountId: string, tokens: CliTokens): Promise<void> {
    const vault = await this.vault();
    await vault.updateSecrets(providerId, accountId, {
      accessToken: tokens.accessToken,
      ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
      ...(tokens.idToken ? { idToken: tokens.idToken } : {}),
      ...(tokens.expiresAt !== undefined ? { expiresAt: tokens.expiresAt } : {}),
    });
    this.audit.record({ action: 'refresh', provider: providerId, account: accountId, outcome: 'ok', detail: 'adopted from the agent CLI' });
    this.tokensChanged(`${providerId}:${accountId}`);
    await this.changed();
  }

  /** The opened vault, for cloud sync (which seals it end to end). Daemon only. */
  openedVault(): Promise<CredentialVault> {
    return this.vault();
  }

  /** Cloud sync on: refreshes take a lease across devices; undefined turns that off. */
  setRefreshLease(lease: RefreshLease | undefined): void {
    this.refreshLease = lease;
  }

  /** Cloud sync merged accounts from another device: agents get the new logins, the UI the new state. */
  async syncMerged(changedKeys: ReadonlyArray<{ provider: string; accountId: string }>): Promise<void> {
    for (const { provider, accountId } of changedKeys) this.tokensChanged(accountKey(provider, accountId));
    await this.changed();
  }

  /** Tells agents' holders that an account's login changed, so every copy is rewritten. */
  onTokensChanged(listener: (provider: string, accountId: string) => void): () => void {
    this.tokenListeners.add(listener);
    return () => this.tokenListeners.delete(listener);
  }

  private tokensChanged(key: string): void {
    const at = key.indexOf(':');
    for (const listener of this.tokenListeners) listener(key.slice(0, at), key.slice(at + 1));
  }

  close(): void {
    clearInterval(this.timer);
    this.flows.close();
  }

  private async run(flow: RunningFlow): Promise<void> {
    const { provider, abort } = flow;
    const onEvent = (event: AuthFlowEvent) => this.flowEvent(flow, event);
    const common = { provider, onEvent, signal: abort.signal, ...(this.options.fetch ? { fetch: this.options.fetch } : {}) };
    let result: AuthResult<ObtainedLogin>;
    try {
      switch (flow.method) {
        case 'cli':
        case 'cli-console':
        case 'cli-token':
          await this.runCliLogin(flow);
          return;
        case 'browser':
          result = fromTokens(await signInWithBrowser({ ...common, logger: this.options.logger.child('sign-in') }));
          break;
        case 'device':
          result = fromTokens(provider.deviceLogin === 'openai-codex' ? await signInWithCodexDeviceCode(common) : await signInWithDeviceCode(common));
          break;
        case 'paste': {
          const started = await startPasteCodeFlow(common);
          if (!started.ok) {
            result = started;
            break;
          }
          flow.paste = started.value;
          // The rest happens in submitCode.
          return;
        }
        case 'import':
          if (provider.loginOwner === 'cli' && provider.cli?.login) {
            await this.importIntoAccountHome(flow);
            return;
          }
          result = this.importLogin(provider);
          break;
        case 'api-key':
          result = { ok: false, error: { code: 'method_not_supported', message: 'An API key is saved directly, not through a sign-in flow.' } };
          break;
      }
    } catch (error) {
      this.options.logger.error('sign-in failed unexpectedly', { provider: provider.id, error });
      result = { ok: false, error: { code: 'provider_error', message: `Sign-in to ${provider.name} failed unexpectedly; the details are in the log.` } };
    }
    if (!this.flows.has(flow.id)) return; // cancelled meanwhile
    if (!result.ok) {
      this.finish(flow, result);
      return;
    }
    try {
      const account = await this.store(flow, result.value, flow.method);
      this.flows.delete(flow.id);
      this.progress(flow, { phase: 'connected', account });
    } catch (error) {
      this.finish(flow, { ok: false, error: { code: (error as { code?: AuthError['code'] }).code ?? 'provider_error', message: (error as Error).message } });
    }
  }

  private absoluteHome(relative: string): string {
    return path.resolve(this.options.dataDir, relative);
  }

  /** A new, empty config home for an account of this provider (relative to the data folder). */
  private newAccountHome(provider: Provider): string {
    return path.join(ACCOUNTS_DIR, provider.id, crypto.randomBytes(6).toString('hex'));
  }

  /** The account home a sign-in goes to: the named account's own when it has one, else a new one. */
  private async homeFor(flow: RunningFlow): Promise<{ home: string; existing?: string }> {
    if (flow.account) {
      const existing = await (await this.vault()).getAccount(flow.provider.id, flow.account);
      if (existing?.meta?.configHome) return { home: existing.meta.configHome, existing: existing.accountId };
    }
    return { home: this.newAccountHome(flow.provider) };
  }

  /** Runs the provider's own CLI login in a pty, with its config home = the account's folder. */
  private async runCliLogin(flow: RunningFlow): Promise<void> {
    const { provider } = flow;
    const command = provider.cli?.command ?? '';
    const executable = findCliExecutable(command);
    if (!executable) {
      this.finish(flow, {
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
      onEvent: (event) => this.flowEvent(flow, event),
    });
    const done = login.result.then(async (result) => {
      if (!result.ok) {
        if (!existing) fs.rmSync(this.absoluteHome(home), { recursive: true, force: true });
        if (this.flows.has(flow.id)) this.finish(flow, result);
        raise(result.error);
      }
      const account = await this.storeCliLogin(flow, home, result.value, flow.method);
      this.flows.delete(flow.id);
      this.progress(flow, { phase: 'connected', account });
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
    const vault = await this.vault();
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
    this.audit.record({
      action: method === 'import' ? 'import' : 'connect',
      provider: provider.id,
      account: summary.accountId,
      method,
      outcome: 'ok',
      detail: source ?? `signed in by ${product}`,
    });
    this.tokensChanged(accountKey(provider.id, summary.accountId));
    await this.changed();
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
  private restoreCliHome(provider: Provider, relative: string, extra: Readonly<Record<string, string>>): string {
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
      this.audit.record({ action: 'import', provider: provider.id, outcome: 'ok', detail: `restored ${file} from the vault` });
    }
    return home;
  }

  /**
   * Takes back what the CLI rotated: when its login files differ from the vault's copy, the copy is
   * replaced (encrypted), so a backup or another device gets the live refresh token.
   */
  async adoptCliLogin(providerId: string, accountId: string): Promise<boolean> {
    const provider = this.provider(providerId);
    const vault = await this.vault();
    const account = await vault.getAccount(provider.id, accountId);
    if (!account?.meta?.configHome) return false;
    const files = this.readLoginFiles(provider, this.absoluteHome(account.meta.configHome));
    const kept = account.secrets.extra ?? {};
    const changed = Object.entries(files).some(([key, content]) => kept[key] !== content);
    if (!changed) return false;
    await vault.updateSecrets(provider.id, account.accountId, { extra: { ...kept, ...files } });
    this.audit.record({ action: 'refresh', provider: provider.id, account: account.accountId, outcome: 'ok', detail: `adopted the login ${account.meta.signedInBy ?? 'the CLI'} rotated` });
    await this.changed();
    return true;
  }

  /** Import for CLI-owned providers: the user's login is copied into a new account home; their files stay as they are. */
  private async importIntoAccountHome(flow: RunningFlow): Promise<void> {
    const { provider } = flow;
    const importer = IMPORTERS[provider.id];
    const sourceFile = importer?.file(this.home);
    const userHome = provider.id === 'google' ? this.home : sourceFile ? path.dirname(sourceFile) : undefined;
    if (!importer || !sourceFile || !fs.existsSync(sourceFile) || !userHome) {
      this.finish(flow, { ok: false, error: { code: 'not_signed_in', message: `There is no ${provider.cli?.login?.product ?? provider.name} login to import${sourceFile ? ` (${tildePath(sourceFile, this.home)} does not exist)` : ''}.` } });
      return;
    }
    const { home } = await this.homeFor(flow);
    const target = this.absoluteHome(home);
    fs.mkdirSync(target, { recursive: true, mode: 0o700 });
    // Read only: the user's own files are copied, never changed.
    this.copyLoginFiles(provider, userHome, target);
    if (provider.id === 'anthropic') this.copyClaudeAccount(target);
    const status = await checkCliLogin(provider, target);
    if (!this.flows.has(flow.id)) return;
    if (!status.loggedIn) {
      fs.rmSync(target, { recursive: true, force: true });
      this.finish(flow, { ok: false, error: { code: 'not_signed_in', message: `${tildePath(sourceFile, this.home)} holds no login ${provider.cli?.login?.product ?? provider.name} accepts.` } });
      return;
    }
    try {
      const account = await this.storeCliLogin(flow, home, status, 'import', `imported from ${tildePath(sourceFile, this.home)}`);
      this.flows.delete(flow.id);
      this.progress(flow, { phase: 'connected', account });
    } catch (error) {
      this.finish(flow, { ok: false, error: { code: 'provider_error', message: (error as Error).message } });
    }
  }

  /** Claude Code keeps the account's email in ~/.claude.json → oauthAccount; the copy gets just that. */
  private copyClaudeAccount(target: string): void {
    try {
      const user = JSON.parse(fs.readFileSync(path.join(this.home, '.claude.json'), 'utf8')) as { oauthAccount?: unknown };
      if (user.oauthAccount) writeFileAtomic(path.join(target, '.claude.json'), JSON.stringify({ oauthAccount: user.oauthAccount }), 0o600);
    } catch {
      // no email to carry over
    }
  }

  /** The provider's accounts as the UI sees them (for moving an agent to another account). */
  async accountsOf(providerId: string): Promise<AccountView[]> {
    const vault = await this.vault();
    return (await vault.list(this.provider(providerId).id)).map((a) => accountView(a, this.currentLimit(accountKey(a.provider, a.accountId))));
  }

  /** A limit passes at its reset time (an hour after it was seen when the CLI gave none). */
  private currentLimit(key: string): UsageLimitNotice | undefined {
    const limit = this.limits.get(key);
    if (!limit) return undefined;
    if ((limit.resetsAt ?? limit.at + 3600_000) > Date.now()) return limit;
    this.limits.delete(key);
    return undefined;
  }

  /** An agent of this account hit a usage or rate limit: the card says so until it is cleared. */
  async reportUsageLimit(providerId: string, accountId: string, notice: UsageLimitNotice | undefined): Promise<void> {
    const key = accountKey(providerId, accountId);
    if (notice) this.limits.set(key, notice);
    else if (!this.limits.delete(key)) return;
    await this.changed();
  }

  private importLogin(provider: Provider): AuthResult<ObtainedLogin> {
    const importer = IMPORTERS[provider.id];
    if (!importer) return { ok: false, error: { code: 'method_not_supported', message: `There is no local CLI login to import for ${provider.name}.` } };
    const imported = importer.run(this.home);
    if (!imported.ok) return { ok: false, error: { code: 'not_signed_in', message: imported.error.message } };
    const { tokens, apiKey, source } = imported.value;
    if (!tokens && !apiKey) return { ok: false, error: { code: 'not_signed_in', message: `${source} holds no login.` } };
    return {
      ok: true,
      value: {
        source,
        ...(apiKey ? { apiKey } : {}),
        ...(tokens?.plan ? { plan: tokens.plan } : {}),
        ...(tokens
          ? {
              tokens: {
                accessToken: tokens.accessToken,
                ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
                ...(tokens.idToken ? { idToken: tokens.idToken } : {}),
                ...(tokens.expiresAt !== undefined ? { expiresAt: tokens.expiresAt } : {}),
                ...(tokens.scopes ? { scope: tokens.scopes.join(' ') } : {}),
                account: { ...(tokens.email ? { email: tokens.email } : {}), ...(tokens.accountId ? { subject: tokens.accountId } : {}) },
              },
            }
          : {}),
      },
    };
  }

  private async store(flow: RunningFlow, login: ObtainedLogin, method: SignInMethod): Promise<AccountView> {
    const { tokens } = login;
    const vault = await this.vault();
    const label = flow.account ?? tokens?.account?.email ?? tokens?.account?.name ?? tokens?.account?.subject ?? 'default';
    const summary = await vault.upsert({
      provider: flow.provider.id,
      accountId: label,
      name: label,
      ...(tokens?.account?.email ? { email: tokens.account.email } : {}),
      ...(login.plan ? { plan: login.plan } : {}),
      method,
      ...(login.source ? { source: login.source } : {}),
      secrets: {
        ...(login.apiKey ? { apiKey: login.apiKey } : {}),
        ...(tokens
          ? {
              accessToken: tokens.accessToken,
              ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
              ...(tokens.idToken ? { idToken: tokens.idToken } : {}),
              ...(tokens.expiresAt !== undefined ? { expiresAt: tokens.expiresAt } : {}),
              ...(tokens.scope ? { scope: tokens.scope } : {}),
              ...(tokens.tokenType ? { tokenType: tokens.tokenType } : {}),
            }
          : {}),
      },
      state: 'connected',
    });
    this.audit.record({
      action: method === 'import' ? 'import' : 'connect',
      provider: flow.provider.id,
      account: summary.accountId,
      method,
      outcome: 'ok',
      ...(login.source ? { detail: login.source } : {}),
    });
    await this.changed();
    return accountView(summary);
  }

  private flowEvent(flow: RunningFlow, event: AuthFlowEvent): void {
    this.flows.event(flow, event);
    if (event.event === 'open-url') this.options.openUrl?.(event.url);
  }

  private finish(flow: RunningFlow, result: { ok: false; error: AuthError }): void {
    this.audit.record({ action: 'failure', provider: flow.provider.id, method: flow.method, outcome: 'error', code: result.error.code });
    this.flows.fail(flow, result.error);
  }

  private progress(flow: RunningFlow, update: ProgressUpdate): void {
    this.flows.report(flow, update);
  }

  private vaultStatus(vault: CredentialVault): VaultStatus {
    const problem = this.vaultProblem ?? vault.problems[0];
    return {
      protection: vault.protection,
      ...(vault.protection === 'weaker' && vault.protectionDetail ? { protectionDetail: vault.protectionDetail } : {}),
      consentRequired: Boolean(this.options.consentRequired) && !this.consented,
      ...(problem ? { problem: problem.message } : {}),
    };
  }

  private async requireConsent(): Promise<void> {
    if (this.options.consentRequired && !this.consented) {
      throw new BridgeError(
        'consent_required',
        NO_KEYRING_CONSENT,
      );
    }
  }

  private vault(): Promise<CredentialVault> {
    this.vaultOpening ??= this.options.openVault().then(({ vault, problem }) => {
      if (problem) {
        this.vaultProblem = problem;
        this.options.logger.error('credential vault could not be read', { problem: problem.message, backup: problem.backup });
        this.audit.record({ action: 'vault_recovered', outcome: 'error', code: problem.code, detail: problem.backup });
      }
      return vault;
    });
    return this.vaultOpening;
  }

  private async changed(): Promise<void> {
    this.options.onChanged(await this.state());
  }

  private async refreshExpiring(): Promise<void> {
    try {
      const vault = await this.vault();
      const soon = Date.now() + 5 * 60_000;
      for (const account of await vault.list()) {
        // Only provider logins: the vault also keeps internal entries (the sync login).
        const provider = this.registry.get(account.provider);
        if (!provider) continue;
        if (account.configHome) {
          await this.adoptCliLogin(account.provider, account.accountId);
          continue;
        }
        if (provider.loginOwner === 'cli') {
          // The old direct flow's login: never refreshed by the app; once expired, ask once for the new way.
          if (account.state === 'connected' && account.expiresAt !== undefined && account.expiresAt <= Date.now()) {
            await vault.setState(account.provider, account.accountId, 'needs_signin', migrationReason(provider));
            await this.changed();
          }
          continue;
        }
        if (account.state === 'connected' && account.canRefresh && account.expiresAt !== undefined && account.expiresAt <= soon) {
          const result = await this.refresher.getFreshToken(accountKey(account.provider, account.accountId));
          if (!result.ok) await this.changed();
        }
      }
    } catch (error) {
      this.options.logger.warn('background refresh failed', { error: (error as Error).message });
    }
  }

  /** The refresh owner's view of the vault. Every call reads the store (another process may have refreshed). */
  private tokenStore(): CredentialStore {
    const split = (key: string) => {
      const at = key.indexOf(':');
      return { provider: key.slice(0, at), accountId: key.slice(at + 1) };
    };
    return {
      loadAccount: async (key): Promise<StoredAccount | undefined> => {
        const { provider, accountId } = split(key);
        const account = await (await this.vault()).getAccount(provider, accountId);
        if (!account?.secrets.accessToken) return undefined;
        const s = account.secrets;
        return {
          providerId: provider,
          state: account.state === 'needs_signin' ? 'needs_signin' : 'connected',
          updatedAt: account.updatedAt,
          tokens: {
            accessToken: s.accessToken!,
            ...(s.refreshToken ? { refreshToken: s.refreshToken } : {}),
            ...(s.idToken ? { idToken: s.idToken } : {}),
            ...(s.expiresAt !== undefined ? { expiresAt: s.expiresAt } : {}),
            ...(s.scope ? { scope: s.scope } : {}),
            ...(s.tokenType ? { tokenType: s.tokenType } : {}),
          },
        };
      },
      saveAccount: async (key, stored) => {
        const { provider, accountId } = split(key);
        const vault = await this.vault();
        if (stored.state === 'needs_signin') {
          await vault.setState(provider, accountId, 'needs_signin', 'The provider refused the saved login. Sign in again.');
          return;
        }
        const t = stored.tokens;
        await vault.updateSecrets(provider, accountId, {
          accessToken: t.accessToken,
          ...(t.refreshToken ? { refreshToken: t.refreshToken } : {}),
          ...(t.idToken ? { idToken: t.idToken } : {}),
          ...(t.expiresAt !== undefined ? { expiresAt: t.expiresAt } : {}),
        });
      },
    };
  }
}
