import os from 'node:os';
import type { SignInProgress, SyncStatus } from '../../../preload/contract.js';
import { signInWithDeviceCode } from '../auth/device-flow.js';
import type { FetchFunction } from '../auth/oauth-client.js';
import type { RefreshLease } from '../auth/refresh.js';
import { SignInFlows, type SignInFlow } from '../auth/sign-in-flows.js';
import { BridgeError } from '../bridge/errors.js';
import type { Logger } from '../logging/logger.js';
import type { ProviderConnections } from '../providers/provider-connections.js';
import type { CredentialVault } from '../vault/credential-vault.js';
import { MIN_PASSPHRASE_LENGTH } from './crypto.js';
import { SYNC_ENTRY_ID, SYNC_ENTRY_PROVIDER, SYNC_PROVIDER_ID, accountAfterSignIn, fromEntry, signedInView, syncProviderOf, toEntry, type SyncAccount } from './sync-account.js';
import { SyncClient, normalizeServerUrl, type ServerInfo } from './sync-client.js';
import { SyncError } from './sync-errors.js';
import { syncRefreshLease } from './sync-lease.js';
import { VaultExchange } from './vault-exchange.js';
import { PASSPHRASE_TOO_SHORT, changeVaultPassphrase, unlockVaultKey } from './vault-key.js';
import { renewSyncToken } from './sync-token.js';

export { SYNC_ENTRY_PROVIDER, SYNC_PROVIDER_ID } from './sync-account.js';

/**
 * Cloud sync: the state machine behind the tray checkbox. It signs in to a sync server, keeps the
 * vault key and the sync login in the local vault (a reserved entry that never syncs and is not a
 * provider), pulls on start, pushes on every local change (debounced) and every minute, merges per
 * account (newest wins, tombstones kept) and writes with optimistic concurrency.
 */

const DEFAULT_DEBOUNCE_MS = 1000;
const DEFAULT_PERIOD_MS = 60_000;
const DEFAULT_LEASE_TTL_SECONDS = 60;
const MAX_BACKOFF_MS = 60_000;
const CLOSE_FLUSH_MS = 5000;

export interface SyncServiceOptions {
  readonly providers: ProviderConnections;
  readonly logger: Logger;
  readonly fetch?: FetchFunction;
  /** Shown in the server's device list (default: the host name). */
  readonly deviceName?: string;
  readonly debounceMs?: number;
  readonly periodMs?: number;
  readonly leaseTtlSeconds?: number;
  readonly onStatus: (status: SyncStatus) => void;
  readonly onProgress: (progress: SignInProgress) => void;
  /** Opens the verification page (Electron); the UI and CLI offer it too. */
  readonly openUrl?: (url: string) => void;
}

function toBridgeError(error: unknown): BridgeError {
  if (error instanceof BridgeError) return error;
  if (error instanceof SyncError) return new BridgeError(error.code, error.message);
  return new BridgeError('internal', (error as Error).message);
}

export class SyncService {
  private account: SyncAccount | undefined;
  private vaultKey: Buffer | undefined;
  private client: SyncClient | undefined;
  private status: SyncStatus = { state: 'off', signedIn: false };
  private readonly exchange: VaultExchange;
  private lastSyncAt: number | undefined;
  private loaded: Promise<void> | undefined;
  private initialPull: Promise<void> | undefined;
  private cycles: Promise<unknown> = Promise.resolve();
  private debounceTimer: NodeJS.Timeout | undefined;
  private periodicTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private backoffMs = 0;
  private unsubscribeVault: (() => void) | undefined;
  private refreshing: Promise<boolean> | undefined;
  private readonly flows: SignInFlows;
  private closed = false;

  constructor(private readonly options: SyncServiceOptions) {
    this.flows = new SignInFlows(options.onProgress);
    this.exchange = new VaultExchange(options.logger, (changed) => {
      void options.providers.syncMerged(changed).catch((error: unknown) => options.logger.warn('could not announce merged accounts', { error: (error as Error).message }));
    });
  }

  /** Reads the saved sync login; with sync on, pulls and starts the timers. */
  start(): Promise<void> {
    this.loaded ??= this.load().catch((error: unknown) => {
      this.options.logger.error('cloud sync could not start', { error: (error as Error).message });
      this.setStatus({ state: 'error', message: `Cloud sync could not start: ${(error as Error).message}` });
    });
    return this.loaded;
  }

  async getStatus(): Promise<SyncStatus> {
    await this.start();
    // Right after start, say how the first pull went rather than "syncing".
    await this.initialPull;
    return this.status;
  }

  // ── Bridge actions ────────────────────────────────────────────────────────────────────────────

  async login(request: { server: string; allowInsecureHttp?: boolean }): Promise<{ flowId: string }> {
    await this.start();
    let server: string;
    try {
      server = normalizeServerUrl(request.server, request.allowInsecureHttp);
    } catch (error) {
      throw toBridgeError(error);
    }
    if ((await this.options.providers.state()).vault.consentRequired) {
      throw new BridgeError('consent_required', 'This system has no keyring, so the sync login would be encrypted only with a fixed key built into the app. Agree to that on the Providers page first, or set up a keyring.');
    }
    // One sign-in at a time: an earlier one ends as cancelled.
    this.flows.abortAll();
    const flow = this.flows.start(SYNC_PROVIDER_ID, 'device', {});
    this.setStatus({ state: 'signing_in', server });
    void this.runLogin(flow, server, Boolean(request.allowInsecureHttp));
    return { flowId: flow.id };
  }

  cancel(flowId: string): void {
    // The sign-in under way notices, reports itself cancelled and puts the status back.
    this.flows.get(flowId)?.abort.abort();
  }

  async enable(passphrase: string): Promise<{ status: SyncStatus; recoveryCode?: string }> {
    await this.start();
    const account = this.requireAccount();
    try {
      const { client, key: current } = await this.liveClient();
      const { key, recoveryCode } = await unlockVaultKey(client, current, passphrase);
      this.vaultKey = key;
      await this.save({ ...this.requireAccount(), enabled: true, vaultKey: key.toString('base64') });
      this.options.logger.info('cloud sync turned on', { server: account.server, firstDevice: Boolean(recoveryCode) });
      this.activate();
      await this.runCycle('pull');
      return { status: this.status, ...(recoveryCode ? { recoveryCode } : {}) };
    } catch (error) {
      throw toBridgeError(error);
    }
  }

  async disable(): Promise<SyncStatus> {
    await this.start();
    this.deactivate();
    if (this.account) await this.save({ ...this.account, enabled: false, vaultKey: undefined });
    this.vaultKey = undefined;
    this.options.logger.info('cloud sync turned off');
    this.setStatus(this.idleStatus());
    return this.status;
  }

  async syncNow(): Promise<SyncStatus> {
    await this.start();
    if (!this.isActive()) {
      throw new BridgeError('not_enabled', this.account ? 'Cloud sync is off: turn it on first (agent-relay-desktop sync on).' : 'Sign in to a sync server first (agent-relay-desktop sync login --server URL).');
    }
    await this.runCycle('pull');
    return this.status;
  }

  async removeServerData(): Promise<SyncStatus> {
    await this.start();
    const account = this.requireAccount();
    try {
      await this.clientFor(account).deleteVault();
    } catch (error) {
      throw toBridgeError(error);
    }
    this.deactivate();
    this.vaultKey = undefined;
    // The server forgot this device too: it registers again when sync is turned back on.
    await this.save({ ...account, deviceId: undefined, enabled: false, vaultKey: undefined });
    this.options.logger.info('cloud sync data removed from the server', { server: account.server });
    this.setStatus({ ...this.idleStatus(), message: 'Your data was removed from the sync server. The logins on this device are kept.' });
    return this.status;
  }

  async changePassphrase(current: string, next: string): Promise<SyncStatus> {
    await this.start();
    if (!this.isActive() || !this.vaultKey) throw new BridgeError('not_enabled', 'Turn cloud sync on before changing its passphrase.');
    if (next.length < MIN_PASSPHRASE_LENGTH) throw new BridgeError('passphrase_too_short', PASSPHRASE_TOO_SHORT);
    try {
      await changeVaultPassphrase(await this.registeredClient(), this.vaultKey, current, next);
      this.options.logger.info('cloud sync passphrase changed');
      return this.status;
    } catch (error) {
      throw toBridgeError(error);
    }
  }

  async signOut(): Promise<SyncStatus> {
    await this.start();
    this.deactivate();
    this.vaultKey = undefined;
    this.account = undefined;
    this.client = undefined;
    await (await this.vault()).remove(SYNC_ENTRY_PROVIDER, SYNC_ENTRY_ID);
    this.setStatus({ state: 'off' });
    return this.status;
  }

  async close(): Promise<void> {
    this.flows.close();
    const flush = this.debounceTimer !== undefined && this.isActive();
    this.closed = true;
    this.stopTimers();
    this.unsubscribeVault?.();
    this.options.providers.setRefreshLease(undefined);
    // A change made just before exit (a CLI command in-process) still reaches the server; a
    // cycle under way finishes before the vault goes away.
    const last = flush ? this.runCycle('push', true) : this.cycles;
    await Promise.race([last, new Promise((resolve) => setTimeout(resolve, CLOSE_FLUSH_MS).unref())]);
  }

  // ── Sign-in ───────────────────────────────────────────────────────────────────────────────────

  private async runLogin(flow: SignInFlow, server: string, allowInsecureHttp: boolean): Promise<void> {
    const fail = (code: string, message: string) => {
      this.flows.fail(flow, { code, message });
      this.setStatus(this.account ? this.idleStatus() : { state: 'off' });
    };
    try {
      let info: ServerInfo;
      try {
        info = await SyncClient.info(server, this.options.fetch);
      } catch (error) {
        const e = error as SyncError;
        return fail(e.code ?? 'sign_in_failed', e.message);
      }
      const provider = syncProviderOf(info);
      const result = await signInWithDeviceCode({
        provider,
        signal: flow.abort.signal,
        ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
        logger: this.options.logger.child('sync-sign-in'),
        allowInsecureHttp,
        onEvent: (event) => {
          if (event.event !== 'device-code') return;
          this.flows.event(flow, event);
          this.options.openUrl?.(event.verificationUriComplete ?? event.verificationUri);
        },
      });
      if (!this.flows.has(flow.id)) return;
      if (!result.ok) return fail(result.error.code, result.error.message);
      const tokens = result.value;
      const { account, same } = accountAfterSignIn(this.account, {
        server,
        allowInsecureHttp,
        info,
        scopes: provider.scopes,
        tokens,
        deviceName: this.options.deviceName ?? os.hostname(),
      });
      this.deactivate();
      if (!same) this.vaultKey = undefined;
      await this.save(account);
      this.client = undefined;
      const { key: envelope } = await this.liveClient();
      this.flows.delete(flow.id);
      this.flows.report(flow, { phase: 'connected', account: signedInView(tokens) });
      this.options.logger.info('signed in to the sync server', { server, account: account.account });
      if (account.enabled && this.vaultKey) {
        this.activate();
        await this.runCycle('pull');
      } else {
        this.askForPassphrase(envelope.envelope === null ? 'choose' : 'enter');
      }
    } catch (error) {
      this.options.logger.warn('sync sign-in failed', { error: (error as Error).message });
      const e = error as { code?: string; message: string };
      fail(e.code ?? 'sign_in_failed', e.message);
    }
  }

  /** Signed in, sync not on: the UI asks to choose a passphrase (first device) or enter it. */
  private askForPassphrase(passphrase: 'choose' | 'enter'): void {
    this.setStatus({
      state: 'needs_passphrase',
      passphrase,
      message:
        passphrase === 'enter'
          ? 'Enter your sync passphrase (or recovery code) to turn sync on for this device.'
          : 'Choose a sync passphrase to turn sync on. It never leaves this device; you will need it on your other devices.',
    });
  }

  // ── Sync cycles ───────────────────────────────────────────────────────────────────────────────

  private async load(): Promise<void> {
    const vault = await this.vault();
    this.unsubscribeVault = vault.onChange(() => this.localChange());
    const entry = await vault.getAccount(SYNC_ENTRY_PROVIDER, SYNC_ENTRY_ID);
    this.account = entry ? fromEntry(entry) : undefined;
    if (!this.account) {
      this.setStatus({ state: 'off' });
      return;
    }
    if (this.account.enabled && this.account.vaultKey) {
      this.vaultKey = Buffer.from(this.account.vaultKey, 'base64');
      this.activate();
      this.setStatus({ state: 'syncing' });
      // Pull on start, in the background: the app does not wait for the network to come up.
      this.initialPull = this.runCycle('pull');
      return;
    }
    this.setStatus(this.idleStatus());
  }

  private isActive(): boolean {
    return Boolean(this.account?.enabled && this.vaultKey && this.periodicTimer);
  }

  private activate(): void {
    if (this.closed) return;
    this.stopTimers();
    this.periodicTimer = setInterval(() => void this.runCycle('pull'), this.options.periodMs ?? DEFAULT_PERIOD_MS);
    this.periodicTimer.unref();
    this.options.providers.setRefreshLease(this.lease());
    this.exchange.reset();
  }

  private deactivate(): void {
    this.stopTimers();
    this.options.providers.setRefreshLease(undefined);
  }

  private stopTimers(): void {
    clearTimeout(this.debounceTimer);
    clearInterval(this.periodicTimer);
    clearTimeout(this.retryTimer);
    this.debounceTimer = undefined;
    this.periodicTimer = undefined;
    this.retryTimer = undefined;
  }

  private localChange(): void {
    if (!this.isActive()) return;
    clearTimeout(this.debounceTimer);
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = undefined;
      void this.runCycle('push');
    }, this.options.debounceMs ?? DEFAULT_DEBOUNCE_MS);
    this.debounceTimer.unref();
  }

  /** Cycles run one at a time; each resolves when done (errors become the status). */
  private runCycle(mode: 'pull' | 'push', flushing = false): Promise<void> {
    const run = this.cycles.then(() => this.cycle(mode, flushing));
    this.cycles = run.catch(() => undefined);
    return run;
  }

  private async cycle(mode: 'pull' | 'push', flushing: boolean): Promise<void> {
    if (!(flushing || this.isActive()) || !this.vaultKey) return;
    const key = this.vaultKey;
    const vault = await this.vault();
    if (this.status.state !== 'syncing') this.setStatus({ state: 'syncing' });
    try {
      await this.exchange.run(await this.registeredClient(), vault, key, mode);
      this.lastSyncAt = Date.now();
      this.backoffMs = 0;
      this.setStatus({ state: 'up_to_date' });
    } catch (error) {
      this.cycleFailed(error);
    }
  }

  private cycleFailed(error: unknown): void {
    const e = error instanceof SyncError ? error : new SyncError('server_error', `Cloud sync failed: ${(error as Error).message}`);
    this.options.logger.warn('cloud sync cycle failed', { code: e.code, message: e.message });
    switch (e.code) {
      case 'offline':
      case 'rate_limited':
      case 'version_conflict': {
        this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs ? this.backoffMs * 2 : 2000);
        clearTimeout(this.retryTimer);
        this.retryTimer = setTimeout(() => void this.runCycle('pull'), this.backoffMs);
        this.retryTimer.unref();
        this.setStatus({
          state: 'offline',
          message: `Offline — changes are kept on this device and sent when ${this.account?.server ?? 'the server'} answers again.`,
          code: e.code,
        });
        return;
      }
      case 'needs_signin':
        this.deactivate();
        this.setStatus({ state: 'error', code: e.code, message: `${e.message} (agent-relay-desktop sync login --server ${this.account?.server ?? 'URL'})` });
        return;
      case 'device_revoked':
        // Revoked from another device, or the server data was removed: stop, forget the key and
        // the registration; turning sync on again registers anew.
        this.deactivate();
        this.vaultKey = undefined;
        if (this.account) void this.save({ ...this.account, deviceId: undefined, enabled: false, vaultKey: undefined }).catch(() => undefined);
        this.setStatus({ state: 'error', code: e.code, message: `${e.message} Sync is off on this device; turn it on again to re-register.` });
        return;
      default:
        // blob_tampered and the rest: nothing was applied or overwritten; say what happened, try again later.
        this.setStatus({ state: 'error', code: e.code, message: e.message });
    }
  }

  // ── Refresh leases across devices ─────────────────────────────────────────────────────────────

  private lease(): RefreshLease {
    return syncRefreshLease(
      {
        isActive: () => this.isActive(),
        registeredClient: () => this.registeredClient(),
        pull: () => this.runCycle('pull'),
        pushNow: () => {
          clearTimeout(this.debounceTimer);
          this.debounceTimer = undefined;
          return this.runCycle('push');
        },
      },
      this.options.leaseTtlSeconds ?? DEFAULT_LEASE_TTL_SECONDS,
    );
  }

  // ── Plumbing ──────────────────────────────────────────────────────────────────────────────────

  private vault(): Promise<CredentialVault> {
    return this.options.providers.openedVault();
  }

  private requireAccount(): SyncAccount {
    if (!this.account) throw new BridgeError('not_signed_in', 'Sign in to a sync server first (agent-relay-desktop sync login --server URL).');
    return this.account;
  }

  private clientFor(account: SyncAccount): SyncClient {
    if (this.client && this.client.server === account.server) return this.client;
    this.client = new SyncClient({
      server: account.server,
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
      accessToken: async () => {
        const current = this.requireAccount();
        if (current.expiresAt !== undefined && current.expiresAt - Date.now() < 30_000 && current.refreshToken) await this.refreshSyncToken(current.accessToken);
        return this.requireAccount().accessToken;
      },
      refreshAccessToken: (rejected) => this.refreshSyncToken(rejected),
      deviceId: () => this.account?.deviceId,
    });
    return this.client;
  }

  /** The client, with this device registered at the server first. */
  private async registeredClient(): Promise<SyncClient> {
    const account = this.requireAccount();
    const client = this.clientFor(account);
    if (!account.deviceId) {
      const { id } = await client.registerDevice(account.deviceName);
      await this.save({ ...this.requireAccount(), deviceId: id });
      this.options.logger.info('registered this device with the sync server', { device: account.deviceName });
    }
    return client;
  }

  /**
   * The client with a live registration, and the key envelope as the server holds it. A
   * registration that is gone (revoked, or the server data removed) is replaced, once.
   */
  private async liveClient(): Promise<{ client: SyncClient; key: { version: number; envelope: unknown } }> {
    const client = await this.registeredClient();
    try {
      return { client, key: await client.getKey() };
    } catch (error) {
      if (!(error instanceof SyncError && error.code === 'device_revoked')) throw error;
      await this.save({ ...this.requireAccount(), deviceId: undefined });
      const fresh = await this.registeredClient();
      return { client: fresh, key: await fresh.getKey() };
    }
  }

  /** Renews the sync server's access token once (single flight); false means sign in again. */
  private refreshSyncToken(rejected: string): Promise<boolean> {
    this.refreshing ??= (async () => {
      const account = this.requireAccount();
      if (account.accessToken !== rejected) return true;
      if (!account.refreshToken) return false;
      const renewed = await renewSyncToken({ ...account, refreshToken: account.refreshToken }, this.options.fetch);
      if (!renewed.ok) {
        this.options.logger.warn('the sync server refused to renew the sign-in', { code: renewed.code });
        return false;
      }
      await this.save({ ...this.requireAccount(), ...renewed.tokens });
      return true;
    })().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async save(account: SyncAccount): Promise<void> {
    this.account = account;
    await (await this.vault()).upsert(toEntry(account));
  }

  private idleStatus(): Pick<SyncStatus, 'state' | 'message'> {
    return this.account ? { state: 'off', message: 'Signed in; cloud sync is off.' } : { state: 'off' };
  }

  private setStatus(update: Pick<SyncStatus, 'state'> & Partial<Pick<SyncStatus, 'server' | 'message' | 'code' | 'passphrase'>>): void {
    const account = this.account;
    const server = account?.server ?? update.server;
    const next: SyncStatus = {
      state: update.state,
      signedIn: Boolean(account),
      ...(server ? { server } : {}),
      ...(account?.account ? { account: account.account } : {}),
      ...(account ? { deviceName: account.deviceName } : {}),
      ...(account && this.lastSyncAt !== undefined ? { lastSyncAt: this.lastSyncAt } : {}),
      ...(update.state === 'needs_passphrase' && update.passphrase ? { passphrase: update.passphrase } : {}),
      ...(update.message ? { message: update.message } : {}),
      ...(update.code ? { code: update.code } : {}),
    };
    this.status = next;
    this.options.onStatus(next);
  }
}
