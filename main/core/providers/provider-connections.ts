import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AccountView, ProvidersState, SignInMethod, VaultStatus } from '../../../preload/contract.js';
import type { AuthError } from '../auth/auth-errors.js';
import type { AuthFlowEvent } from '../auth/flow-events.js';
import { loadProviderRegistry, providersConfigPath, type Provider, type ProviderRegistry } from '../auth/provider-registry.js';
import { RefreshOwner, type RefreshLease } from '../auth/refresh.js';
import { revokeTokens } from '../auth/revoke.js';
import { SignInFlows, type ProgressUpdate } from '../auth/sign-in-flows.js';
import type { TokenSet } from '../auth/token-set.js';
import { BridgeError } from '../bridge/errors.js';
import { writeFileAtomic } from '../base/atomic-file.js';
import type { CliTokens } from '../credentials/cli-credentials.js';
import { createAuditLog, type AuditLog } from '../vault/audit-log.js';
import type { CredentialVault } from '../vault/credential-vault.js';
import type { VaultProblem } from '../vault/vault-types.js';
import { ApiKeyAccounts } from './api-key-accounts.js';
import { CliSignIns, migrationReason, SETUP_TOKEN_KEY } from './cli-sign-in.js';
import { accountKey, raise, type ConnectionContext, type ProviderConnectionsOptions, type RunningFlow } from './connection-context.js';
import { accountView, providerView } from './provider-views.js';
import { SignInRunner } from './sign-in-runner.js';
import { UsageLimits, type UsageLimitNotice } from './usage-limits.js';
import { vaultTokenStore } from './vault-token-store.js';

export type { ProviderConnectionsOptions } from './connection-context.js';
export type { UsageLimitNotice } from './usage-limits.js';
export { isCliMethod } from './cli-sign-in.js';

/** Consent is asked only where the OS offers no key store (Electron on Linux without a keyring). */
const NO_KEYRING_CONSENT =
  'This system has no keyring, so your sign-ins would be encrypted only with a fixed key built into the app: anyone who can read your data folder could decrypt them. Agree to that first, or set up a keyring (such as GNOME Keyring or KWallet) and restart.';

const CONSENT_FILE = 'vault-consent.json';
const BACKGROUND_REFRESH_MS = 60_000;

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
  private readonly limits = new UsageLimits();
  /** Set by cloud sync while it is on: refreshes across devices take a lease first. */
  private refreshLease: RefreshLease | undefined;
  private readonly cli: CliSignIns;
  private readonly runner: SignInRunner;
  private readonly apiKeys: ApiKeyAccounts;

  constructor(private readonly options: ProviderConnectionsOptions) {
    this.flows = new SignInFlows(options.onProgress);
    this.registry = loadProviderRegistry(providersConfigPath(options.dataDir, options.providersConfig));
    for (const problem of this.registry.errors) options.logger.warn('providers.json problem', { problem: problem.message });
    this.audit = createAuditLog(options.dataDir);
    this.home = options.home ?? os.homedir();
    const context: ConnectionContext = {
      options,
      audit: this.audit,
      home: this.home,
      flows: this.flows,
      provider: (id) => this.provider(id),
      requireConsent: () => this.requireConsent(),
      vault: () => this.vault(),
      changed: () => this.changed(),
      tokensChanged: (key) => this.tokensChanged(key),
      flowEvent: (flow, event) => this.flowEvent(flow, event),
      finish: (flow, result) => this.finish(flow, result),
      progress: (flow, update) => this.progress(flow, update),
    };
    this.cli = new CliSignIns(context);
    this.runner = new SignInRunner(context, this.cli);
    this.apiKeys = new ApiKeyAccounts(context);
    this.consented = fs.existsSync(path.join(options.dataDir, CONSENT_FILE));
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- read by the lease getter below
    const self = this;
    this.refresher = new RefreshOwner({
      store: vaultTokenStore(() => this.vault()),
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
    const accounts = (await vault.list()).map((a) => accountView(a, this.limits.current(accountKey(a.provider, a.accountId))));
    const providers = this.registry.providers.map((p) => providerView(p, accounts, this.home));
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
    void this.runner.run(flow);
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
    const account = await this.runner.store(flow, { tokens: result.value }, flow.method);
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

  saveApiKey(request: { provider: string; apiKey: string; account?: string; baseUrl?: string }): Promise<AccountView> {
    return this.apiKeys.saveApiKey(request);
  }

  connectSelfHosted(request: { provider: string; baseUrl: string; apiKey?: string; account?: string }): Promise<AccountView> {
    return this.apiKeys.connectSelfHosted(request);
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
    if (account.meta?.configHome) fs.rmSync(this.cli.absoluteHome(account.meta.configHome), { recursive: true, force: true });
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
    const view = accountView(summary, this.limits.current(accountKey(provider.id, account.accountId)));
    if (account.meta?.configHome) {
      // The CLI keeps this login in the account's home; the app only makes sure the folder holds it.
      const home = this.cli.restoreCliHome(provider, account.meta.configHome, account.secrets.extra ?? {});
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

  /**
   * Takes back what the CLI rotated: when its login files differ from the vault's copy, the copy is
   * replaced (encrypted), so a backup or another device gets the live refresh token.
   */
  adoptCliLogin(providerId: string, accountId: string): Promise<boolean> {
    return this.cli.adoptCliLogin(this.provider(providerId), accountId);
  }

  /** The provider's accounts as the UI sees them (for moving an agent to another account). */
  async accountsOf(providerId: string): Promise<AccountView[]> {
    const vault = await this.vault();
    return (await vault.list(this.provider(providerId).id)).map((a) => accountView(a, this.limits.current(accountKey(a.provider, a.accountId))));
  }

  /** An agent of this account hit a usage or rate limit: the card says so until it is cleared. */
  async reportUsageLimit(providerId: string, accountId: string, notice: UsageLimitNotice | undefined): Promise<void> {
    if (!this.limits.report(accountKey(providerId, accountId), notice)) return;
    await this.changed();
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
}
