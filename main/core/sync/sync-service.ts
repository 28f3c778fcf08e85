import crypto from 'node:crypto';
import os from 'node:os';
import * as oauth from 'oauth4webapi';
import type { AccountView, SignInProgress, SyncStatus } from '../../../preload/contract.js';
import { signInWithDeviceCode } from '../auth/device-flow.js';
import { createOAuthContext, toAuthFailure, type FetchFunction } from '../auth/oauth-client.js';
import type { Provider } from '../auth/provider-registry.js';
import type { RefreshLease } from '../auth/refresh.js';
import { tokenSetFromResponse } from '../auth/token-set.js';
import { BridgeError } from '../bridge/errors.js';
import type { Logger } from '../logging/logger.js';
import type { ProviderConnections } from '../providers/provider-connections.js';
import type { CredentialVault } from '../vault/credential-vault.js';
import { EMPTY_CONTENTS, parseContents, serializeContents } from '../vault/vault-codec.js';
import type { VaultAccount, VaultContents } from '../vault/vault-types.js';
import {
  MIN_PASSPHRASE_LENGTH,
  createKeyEnvelope,
  generateRecoveryCode,
  generateVaultKey,
  openBlob,
  parseKeyEnvelope,
  rewrapKeyEnvelope,
  sealBlob,
  unwrapVaultKey,
} from './crypto.js';
import { SyncClient, normalizeServerUrl, type ServerInfo } from './sync-client.js';
import { SyncError } from './sync-errors.js';

/**
 * Cloud sync: the state machine behind the tray checkbox. It signs in to a sync server, keeps the
 * vault key and the sync login in the local vault (a reserved entry that never syncs and is not a
 * provider), pulls on start, pushes on every local change (debounced) and every minute, merges per
 * account (newest wins, tombstones kept) and writes with optimistic concurrency.
 */

/** Reserved vault entry: provider ids start with a letter or digit, so no provider can be this. */
export const SYNC_ENTRY_PROVIDER = '_sync';
const SYNC_ENTRY_ID = 'account';
export const SYNC_PROVIDER_ID = 'agent-relay-cloud';

const DEFAULT_DEBOUNCE_MS = 1000;
const DEFAULT_PERIOD_MS = 60_000;
const DEFAULT_LEASE_TTL_SECONDS = 60;
const MAX_CONFLICT_RETRIES = 5;
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

/** The sync login as kept (encrypted) in the local vault. */
interface SyncAccount {
  readonly server: string;
  readonly allowInsecureHttp: boolean;
  readonly issuer: string;
  readonly clientId: string;
  readonly scopes: ReadonlyArray<string>;
  readonly account?: string;
  readonly deviceId?: string;
  readonly deviceName: string;
  readonly enabled: boolean;
  readonly accessToken: string;
  readonly refreshToken?: string;
  readonly expiresAt?: number;
  /** base64; only while sync is on. */
  readonly vaultKey?: string;
}

const isReserved = (entry: { provider: string }) => entry.provider.startsWith('_');

/** What syncs: every provider account and tombstone, never the reserved entries. */
function syncable(contents: VaultContents): VaultContents {
  return { accounts: contents.accounts.filter((a) => !isReserved(a)), tombstones: contents.tombstones.filter((t) => !isReserved(t)) };
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Same content, same digest, whatever the order of entries: decides whether a push is needed. */
function digestOf(contents: VaultContents): string {
  const key = (e: { provider: string; accountId: string }) => `${e.provider}\u0000${e.accountId}`;
  const sorted = {
    accounts: [...contents.accounts].sort((a, b) => key(a).localeCompare(key(b))),
    tombstones: [...contents.tombstones].sort((a, b) => key(a).localeCompare(key(b))),
  };
  return crypto.createHash('sha256').update(canonicalJson(sorted)).digest('hex');
}

/** Accounts whose entry differs between two copies (added, removed or changed). */
function changedAccounts(before: VaultContents, after: VaultContents): Array<{ provider: string; accountId: string }> {
  const index = (c: VaultContents) => new Map(c.accounts.map((a) => [JSON.stringify([a.provider, a.accountId]), a] as const));
  const a = index(before);
  const b = index(after);
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys]
    .filter((k) => a.get(k)?.updatedAt !== b.get(k)?.updatedAt)
    .map((k) => {
      const [provider, accountId] = JSON.parse(k) as [string, string];
      return { provider, accountId };
    });
}

function syncProvider(account: Pick<SyncAccount, 'issuer' | 'clientId' | 'scopes'>): Provider {
  return {
    id: SYNC_PROVIDER_ID,
    name: 'the sync server',
    description: 'Agent Relay cloud sync',
    brandColor: '#4F46E5',
    logo: 'agent-relay-cloud.svg',
    kind: 'oauth',
    methods: ['device'],
    issuer: account.issuer,
    clientId: account.clientId,
    scopes: [...account.scopes],
    extraAuthParams: {},
    redirectHost: '127.0.0.1',
    redirectPort: 0,
    fallbackPorts: [],
    redirectPath: '/callback',
    tokenRequestEncoding: 'form',
    refreshRequestEncoding: 'form',
    stateIsVerifier: false,
    deviceLogin: 'rfc8628',
    devicePkce: false,
  };
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
  private knownVersion: number | undefined;
  private remoteDigest: string | undefined;
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
  private readonly flows = new Map<string, AbortController>();
  private closed = false;

  constructor(private readonly options: SyncServiceOptions) {}

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
    for (const abort of this.flows.values()) abort.abort();
    const flowId = crypto.randomUUID();
    const abort = new AbortController();
    this.flows.set(flowId, abort);
    let last: SignInProgress = { flowId, provider: SYNC_PROVIDER_ID, method: 'device', phase: 'starting' };
    const progress = (update: Partial<SignInProgress> & Pick<SignInProgress, 'phase'>) => {
      last = { ...last, ...update };
      this.options.onProgress(last);
    };
    progress({ phase: 'starting' });
    this.setStatus({ state: 'signing_in', server });
    void this.runLogin(flowId, server, Boolean(request.allowInsecureHttp), abort, progress);
    return { flowId };
  }

  cancel(flowId: string): void {
    this.flows.get(flowId)?.abort();
  }

  async enable(passphrase: string): Promise<{ status: SyncStatus; recoveryCode?: string }> {
    await this.start();
    const account = this.requireAccount();
    try {
      const { client, key: current } = await this.liveClient();
      let key: Buffer;
      let recoveryCode: string | undefined;
      if (current.envelope === null) {
        if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
          throw new SyncError('passphrase_too_short', `Choose a sync passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters.`);
        }
        const fresh = generateVaultKey();
        const code = generateRecoveryCode();
        const put = await client.putKey(current.version, await createKeyEnvelope(fresh, passphrase, code));
        if (put.ok) {
          key = fresh;
          recoveryCode = code;
        } else {
          // Another device turned sync on first: its passphrase is the one.
          key = (await unwrapVaultKey(parseKeyEnvelope(put.current), passphrase)).key;
        }
      } else {
        key = (await unwrapVaultKey(parseKeyEnvelope(current.envelope), passphrase)).key;
      }
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
    if (next.length < MIN_PASSPHRASE_LENGTH) throw new BridgeError('passphrase_too_short', `Choose a sync passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters.`);
    try {
      const client = await this.registeredClient();
      for (let attempt = 0; attempt < 3; attempt++) {
        const stored = await client.getKey();
        if (stored.envelope === null) throw new SyncError('not_enabled', 'The sync server holds no key envelope any more; turn sync off and on again.');
        const envelope = parseKeyEnvelope(stored.envelope);
        const opened = await unwrapVaultKey(envelope, current);
        if (!opened.key.equals(this.vaultKey)) throw new SyncError('wrong_passphrase', 'That passphrase belongs to another vault key; turn sync off and on again.');
        const put = await client.putKey(stored.version, await rewrapKeyEnvelope(envelope, this.vaultKey, next));
        if (put.ok) {
          this.options.logger.info('cloud sync passphrase changed');
          return this.status;
        }
      }
      throw new SyncError('version_conflict', 'The key envelope kept changing on the server; try again.');
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
    for (const abort of this.flows.values()) abort.abort();
    this.flows.clear();
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

  private async runLogin(
    flowId: string,
    server: string,
    allowInsecureHttp: boolean,
    abort: AbortController,
    progress: (update: Partial<SignInProgress> & Pick<SignInProgress, 'phase'>) => void,
  ): Promise<void> {
    const fail = (code: string, message: string) => {
      this.flows.delete(flowId);
      if (code === 'cancelled') progress({ phase: 'cancelled' });
      else progress({ phase: 'error', error: { code, message } });
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
      const provider = syncProvider({ issuer: info.issuer, clientId: info.clientId, scopes: info.scopes.length ? info.scopes : ['openid', 'email', 'offline_access'] });
      const result = await signInWithDeviceCode({
        provider,
        signal: abort.signal,
        ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
        logger: this.options.logger.child('sync-sign-in'),
        allowInsecureHttp,
        onEvent: (event) => {
          if (event.event !== 'device-code') return;
          progress({
            phase: 'device-code',
            userCode: event.userCode,
            verificationUri: event.verificationUri,
            ...(event.verificationUriComplete ? { verificationUriComplete: event.verificationUriComplete } : {}),
            expiresAt: Date.now() + event.expiresIn * 1000,
            interval: event.interval,
          });
          this.options.openUrl?.(event.verificationUriComplete ?? event.verificationUri);
        },
      });
      if (!this.flows.has(flowId)) return;
      if (!result.ok) return fail(result.error.code, result.error.message);
      const tokens = result.value;
      const label = tokens.account?.email ?? tokens.account?.name ?? tokens.account?.subject;
      const previous = this.account;
      const same = previous !== undefined && previous.server === server && previous.account === label;
      this.deactivate();
      if (!same) this.vaultKey = undefined;
      const account: SyncAccount = {
        server,
        allowInsecureHttp,
        issuer: info.issuer,
        clientId: info.clientId,
        scopes: provider.scopes,
        ...(label ? { account: label } : {}),
        ...(same && previous.deviceId ? { deviceId: previous.deviceId } : {}),
        deviceName: previous?.deviceName ?? this.options.deviceName ?? os.hostname(),
        enabled: same ? previous.enabled : false,
        accessToken: tokens.accessToken,
        ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
        ...(tokens.expiresAt !== undefined ? { expiresAt: tokens.expiresAt } : {}),
        ...(same && previous.vaultKey ? { vaultKey: previous.vaultKey } : {}),
      };
      await this.save(account);
      this.client = undefined;
      const { key: envelope } = await this.liveClient();
      this.flows.delete(flowId);
      const view: AccountView = {
        provider: SYNC_PROVIDER_ID,
        accountId: label ?? 'account',
        name: label ?? 'your account',
        ...(tokens.account?.email ? { email: tokens.account.email } : {}),
        method: 'device',
        state: 'connected',
        updatedAt: Date.now(),
        isDefault: true,
        canRefresh: Boolean(tokens.refreshToken),
      };
      progress({ phase: 'connected', account: view });
      this.options.logger.info('signed in to the sync server', { server, account: label });
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
    this.knownVersion = undefined;
    this.remoteDigest = undefined;
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
      const client = await this.registeredClient();
      if (mode === 'pull' || this.knownVersion === undefined) {
        const remote = await client.getVault();
        await this.applyRemote(vault, key, remote.version, remote.blob);
      }
      for (let attempt = 0; ; attempt++) {
        const local = syncable(await vault.exportContents());
        const digest = digestOf(local);
        if (digest === this.remoteDigest) break;
        if (attempt >= MAX_CONFLICT_RETRIES) throw new SyncError('version_conflict', 'Other devices kept writing at the same time; this device will try again shortly.');
        const put = await client.putVault(this.knownVersion ?? 0, sealBlob(key, serializeContents(local)));
        if (put.ok) {
          this.knownVersion = put.version;
          this.remoteDigest = digest;
          this.options.logger.info('cloud sync pushed the vault', { version: put.version });
          break;
        }
        // 409: someone wrote first. Merge what they wrote, then write again on their version.
        this.options.logger.info('cloud sync write conflict; merging and retrying', { version: put.version });
        await this.applyRemote(vault, key, put.version, put.current);
      }
      this.lastSyncAt = Date.now();
      this.backoffMs = 0;
      this.setStatus({ state: 'up_to_date' });
    } catch (error) {
      this.cycleFailed(error);
    }
  }

  /** Opens the server's copy (refused if altered), merges it per entry, tells the UI and agents. */
  private async applyRemote(vault: CredentialVault, key: Buffer, version: number, blob: string | null): Promise<void> {
    let remote: VaultContents = EMPTY_CONTENTS;
    if (blob !== null) {
      const parsed = parseContents(openBlob(key, blob));
      if (!parsed.ok) throw new SyncError('blob_tampered', `The vault on the sync server could not be read (${parsed.reason}); nothing from it was applied.`);
      remote = syncable(parsed.contents);
    }
    const before = syncable(await vault.exportContents());
    await vault.merge(remote);
    const after = syncable(await vault.exportContents());
    this.knownVersion = version;
    this.remoteDigest = digestOf(remote);
    const changed = changedAccounts(before, after);
    if (changed.length > 0) {
      this.options.logger.info('cloud sync merged changes from another device', { accounts: changed.length });
      void this.options.providers.syncMerged(changed).catch((error: unknown) => this.options.logger.warn('could not announce merged accounts', { error: (error as Error).message }));
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
    const ttl = this.options.leaseTtlSeconds ?? DEFAULT_LEASE_TTL_SECONDS;
    return {
      acquire: async (key) => {
        if (!this.isActive()) return { granted: true, release: async () => undefined };
        const client = await this.registeredClient();
        const outcome = await client.acquireLease(key, ttl);
        if (!outcome.granted) return { granted: false, retryAfterMs: Math.min(1000, Math.max(200, outcome.expiresAt - Date.now())) };
        // The holder before us may have pushed fresh tokens: have them before spending a refresh token.
        await this.runCycle('pull');
        return {
          granted: true,
          release: async () => {
            // What was refreshed reaches the server before the lease lets the next device look.
            clearTimeout(this.debounceTimer);
            this.debounceTimer = undefined;
            await this.runCycle('push');
            await client.releaseLease(key);
          },
        };
      },
      onDenied: async () => {
        await this.runCycle('pull');
      },
    };
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
      const provider = syncProvider(account);
      try {
        const ctx = await createOAuthContext(provider, this.options.fetch ? { fetch: this.options.fetch } : {});
        const response = await oauth.refreshTokenGrantRequest(ctx.as, ctx.client, ctx.clientAuth, account.refreshToken, ctx.requestOptions('form'));
        const tokens = tokenSetFromResponse(await oauth.processRefreshTokenResponse(ctx.as, ctx.client, response), Date.now(), { refreshToken: account.refreshToken });
        await this.save({
          ...this.requireAccount(),
          accessToken: tokens.accessToken,
          ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
          ...(tokens.expiresAt !== undefined ? { expiresAt: tokens.expiresAt } : {}),
        });
        return true;
      } catch (error) {
        const failure = toAuthFailure(error, provider);
        if (failure.code === 'network_error') throw new SyncError('offline', failure.message);
        this.options.logger.warn('the sync server refused to renew the sign-in', { code: failure.code });
        return false;
      }
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

function toEntry(account: SyncAccount): Parameters<CredentialVault['upsert']>[0] {
  return {
    provider: SYNC_ENTRY_PROVIDER,
    accountId: SYNC_ENTRY_ID,
    name: 'Cloud sync',
    method: 'device',
    meta: {
      server: account.server,
      allowInsecureHttp: String(account.allowInsecureHttp),
      issuer: account.issuer,
      clientId: account.clientId,
      scopes: account.scopes.join(' '),
      deviceName: account.deviceName,
      enabled: String(account.enabled),
      ...(account.account ? { account: account.account } : {}),
      ...(account.deviceId ? { deviceId: account.deviceId } : {}),
    },
    // All in `extra`: the refresh owner and the providers list never take this entry for a provider login.
    secrets: {
      extra: {
        accessToken: account.accessToken,
        ...(account.refreshToken ? { refreshToken: account.refreshToken } : {}),
        ...(account.expiresAt !== undefined ? { expiresAt: String(account.expiresAt) } : {}),
        ...(account.vaultKey ? { vaultKey: account.vaultKey } : {}),
      },
    },
  };
}

function fromEntry(entry: VaultAccount): SyncAccount | undefined {
  const meta = entry.meta ?? {};
  const secret = entry.secrets.extra ?? {};
  if (!meta.server || !meta.issuer || !meta.clientId || !secret.accessToken) return undefined;
  return {
    server: meta.server,
    allowInsecureHttp: meta.allowInsecureHttp === 'true',
    issuer: meta.issuer,
    clientId: meta.clientId,
    scopes: (meta.scopes ?? '').split(' ').filter(Boolean),
    ...(meta.account ? { account: meta.account } : {}),
    ...(meta.deviceId ? { deviceId: meta.deviceId } : {}),
    deviceName: meta.deviceName ?? os.hostname(),
    enabled: meta.enabled === 'true',
    accessToken: secret.accessToken,
    ...(secret.refreshToken ? { refreshToken: secret.refreshToken } : {}),
    ...(secret.expiresAt ? { expiresAt: Number(secret.expiresAt) } : {}),
    ...(secret.vaultKey ? { vaultKey: secret.vaultKey } : {}),
  };
}
