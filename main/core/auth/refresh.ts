import * as oauth from 'oauth4webapi';
import type { Logger } from '../logging/logger.js';
import { type AuthResult, AuthFailure, fail, ok } from './auth-errors.js';
import type { CredentialStore, StoredAccount } from './credential-store.js';
import { type FetchFunction, createOAuthContext, toAuthFailure } from './oauth-client.js';
import type { Provider } from './provider-registry.js';
import { acquireFileLock, lockPathFor } from './refresh-lock.js';
import { type TokenSet, tokenSetFromResponse } from './token-set.js';

/**
 * The app is the one refresh owner of every account: refresh ahead of expiry, one refresh at a
 * time per account (single flight in this process, a lock file across processes, the store re-read
 * once the lock is held), rotated refresh tokens kept, and a refused refresh token turning the
 * account into "sign in again" instead of a loop of failures.
 */

export const REFRESH_AHEAD_MS = 5 * 60 * 1000;

/** Provider answers that mean the refresh token is gone for good. */
const SIGN_IN_AGAIN_ERRORS: ReadonlySet<string> = new Set([
  'invalid_grant',
  'refresh_token_reused',
  'refresh_token_expired',
  'refresh_token_invalidated',
  'needs_signin',
]);

export type RefreshAuditEvent =
  | { readonly type: 'refreshed'; readonly key: string; readonly providerId: string; readonly expiresAt?: number }
  | { readonly type: 'adopted'; readonly key: string; readonly providerId: string }
  | { readonly type: 'refresh_failed'; readonly key: string; readonly providerId: string; readonly code: string }
  | { readonly type: 'needs_signin'; readonly key: string; readonly providerId: string; readonly code: string };

export interface RefreshOwnerOptions {
  readonly store: CredentialStore;
  readonly providers: (providerId: string) => Provider | undefined;
  /** Folder for the cross-process lock files (in the data dir). */
  readonly lockDir: string;
  readonly refreshAheadMs?: number;
  readonly lockStaleMs?: number;
  readonly lockWaitMs?: number;
  /** Longest wait for the token endpoint's answer (default TOKEN_REQUEST_TIMEOUT_MS). */
  readonly requestTimeoutMs?: number;
  readonly fetch?: FetchFunction;
  readonly now?: () => number;
  readonly logger?: Logger;
  /** Audit trail without secrets: refreshes, adoptions of another process's refresh, failures. */
  readonly onAudit?: (event: RefreshAuditEvent) => void;
  /**
   * Across devices (cloud sync): a lease per account taken before a rotating refresh token is
   * used. Denied → wait, let `onDenied` pull, and adopt what the holder refreshed.
   */
  readonly lease?: RefreshLease;
  /** Longest wait for another device's lease before refreshing alone (default 3 min). */
  readonly leaseWaitMs?: number;
}

export interface RefreshLease {
  acquire(key: string): Promise<{ granted: true; release(): Promise<void> } | { granted: false; retryAfterMs: number }>;
  onDenied?(key: string): Promise<void>;
}

const DEFAULT_LEASE_WAIT_MS = 3 * 60 * 1000;

/** What a call with an access token reports back to `withFreshToken`. */
export interface ProviderCallResult<T> {
  readonly status: number;
  readonly value: T;
}

export class RefreshOwner {
  private readonly inFlight = new Map<string, Promise<AuthResult<TokenSet>>>();
  private readonly now: () => number;

  constructor(private readonly options: RefreshOwnerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** A token good for at least the next five minutes, refreshing first when needed. */
  async getFreshToken(key: string): Promise<AuthResult<TokenSet>> {
    const account = await this.options.store.loadAccount(key);
    const usable = this.check(key, account);
    if (!usable.ok) return usable;
    if (!this.expiresSoon(usable.value.tokens)) return ok(usable.value.tokens);
    return this.singleFlight(key, undefined);
  }

  /**
   * Refreshes even though the recorded expiry says the token is fine: the provider answered 401
   * with `rejectedAccessToken`. If another caller already replaced that token, its result is used.
   */
  async forceRefresh(key: string, rejectedAccessToken: string): Promise<AuthResult<TokenSet>> {
    return this.singleFlight(key, rejectedAccessToken);
  }

  /**
   * Runs a provider call with a fresh access token. A 401 triggers one refresh and one retry; a
   * second 401 marks the account "sign in again".
   */
  async withFreshToken<T>(key: string, call: (accessToken: string) => Promise<ProviderCallResult<T>>): Promise<AuthResult<T>> {
    const first = await this.getFreshToken(key);
    if (!first.ok) return first;
    const firstTry = await call(first.value.accessToken);
    if (firstTry.status !== 401) return ok(firstTry.value);
    const refreshed = await this.forceRefresh(key, first.value.accessToken);
    if (!refreshed.ok) return refreshed;
    const secondTry = await call(refreshed.value.accessToken);
    if (secondTry.status !== 401) return ok(secondTry.value);
    const account = await this.options.store.loadAccount(key);
    if (account) await this.markNeedsSignin(key, account, 'unauthorized');
    return fail('needs_signin', `${this.providerName(account)} refused the credentials even after a refresh. Sign in again.`);
  }

  private providerName(account: StoredAccount | undefined): string {
    return (account && this.options.providers(account.providerId)?.name) ?? 'The provider';
  }

  private check(key: string, account: StoredAccount | undefined): AuthResult<StoredAccount> {
    if (!account) return fail('not_signed_in', `No account "${key}" is signed in.`);
    if (account.state === 'needs_signin') return fail('needs_signin', `${this.providerName(account)} needs you to sign in again.`);
    return ok(account);
  }

  private expiresSoon(tokens: TokenSet): boolean {
    return tokens.expiresAt !== undefined && tokens.expiresAt - this.now() <= (this.options.refreshAheadMs ?? REFRESH_AHEAD_MS);
  }

  private singleFlight(key: string, rejectedAccessToken: string | undefined): Promise<AuthResult<TokenSet>> {
    const running = this.inFlight.get(key);
    if (running) return running;
    const started = this.refreshUnderLock(key, rejectedAccessToken).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }

  private async refreshUnderLock(key: string, rejectedAccessToken: string | undefined): Promise<AuthResult<TokenSet>> {
    let release: (() => Promise<void>) | undefined;
    try {
      release = await acquireFileLock(lockPathFor(this.options.lockDir, key), {
        staleMs: this.options.lockStaleMs,
        waitMs: this.options.lockWaitMs,
      });
      // Another process may have refreshed while we waited for the lock: read what is stored now.
      const current = this.check(key, await this.options.store.loadAccount(key));
      if (!current.ok) return current;
      const account = current.value;
      const replaced = rejectedAccessToken !== undefined && account.tokens.accessToken !== rejectedAccessToken;
      if (replaced || (rejectedAccessToken === undefined && !this.expiresSoon(account.tokens))) {
        this.options.onAudit?.({ type: 'adopted', key, providerId: account.providerId });
        return ok(account.tokens);
      }
      if (!this.options.lease) return await this.refresh(key, account);
      return await this.refreshUnderLease(key, account, rejectedAccessToken ?? account.tokens.accessToken, this.options.lease);
    } catch (error) {
      const failure = error instanceof AuthFailure ? error : new AuthFailure('provider_error', `Refreshing failed: ${(error as Error).message}`);
      return { ok: false, error: failure.toError() };
    } finally {
      await release?.();
    }
  }

  /**
   * Another device may hold the lease: wait, pull, and use the tokens it refreshed. Only with the
   * lease (or when the lease cannot be asked for) does this device spend the refresh token.
   */
  private async refreshUnderLease(key: string, account: StoredAccount, staleAccessToken: string, lease: RefreshLease): Promise<AuthResult<TokenSet>> {
    const deadline = this.now() + (this.options.leaseWaitMs ?? DEFAULT_LEASE_WAIT_MS);
    // What the holder pushed, once pulled: a new access token that is good for a while.
    const adoptable = async (): Promise<AuthResult<TokenSet> | undefined> => {
      const current = await this.options.store.loadAccount(key);
      if (current?.state === 'needs_signin') return fail('needs_signin', `${this.providerName(current)} needs you to sign in again.`);
      if (current && current.tokens.accessToken !== staleAccessToken && !this.expiresSoon(current.tokens)) {
        this.options.onAudit?.({ type: 'adopted', key, providerId: current.providerId });
        return ok(current.tokens);
      }
      return undefined;
    };
    for (;;) {
      let outcome: Awaited<ReturnType<RefreshLease['acquire']>>;
      try {
        outcome = await lease.acquire(key);
      } catch (error) {
        // No lease service (offline): refresh alone; the vaults reconcile later, newest wins.
        this.options.logger?.warn('refresh lease unavailable; refreshing alone', { account: key, error: (error as Error).message });
        return this.refresh(key, (await this.options.store.loadAccount(key)) ?? account);
      }
      if (outcome.granted) {
        try {
          const adopted = await adoptable();
          if (adopted) return adopted;
          return await this.refresh(key, (await this.options.store.loadAccount(key)) ?? account);
        } finally {
          await outcome.release().catch((error: unknown) => this.options.logger?.warn('refresh lease release failed', { account: key, error: (error as Error).message }));
        }
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(50, outcome.retryAfterMs)));
      await lease.onDenied?.(key).catch((error: unknown) => this.options.logger?.warn('pull after a denied lease failed', { account: key, error: (error as Error).message }));
      const adopted = await adoptable();
      if (adopted) return adopted;
      if (this.now() >= deadline) {
        this.options.logger?.warn('another device held the refresh lease too long; refreshing alone', { account: key });
        return this.refresh(key, (await this.options.store.loadAccount(key)) ?? account);
      }
    }
  }

  private async refresh(key: string, account: StoredAccount): Promise<AuthResult<TokenSet>> {
    const provider = this.options.providers(account.providerId);
    if (!provider) return fail('provider_misconfigured', `The provider "${account.providerId}" of account "${key}" is not configured.`);
    const refreshToken = account.tokens.refreshToken;
    if (!refreshToken) {
      await this.markNeedsSignin(key, account, 'no_refresh_token');
      return fail('needs_signin', `${provider.name} gave no way to renew this sign-in. Sign in again.`);
    }
    try {
      const ctx = await createOAuthContext(provider, {
        fetch: this.options.fetch,
        ...(this.options.requestTimeoutMs !== undefined ? { timeoutMs: this.options.requestTimeoutMs } : {}),
      });
      const response = await oauth.refreshTokenGrantRequest(
        ctx.as,
        ctx.client,
        ctx.clientAuth,
        refreshToken,
        ctx.requestOptions(provider.refreshRequestEncoding),
      );
      const result = await oauth.processRefreshTokenResponse(ctx.as, ctx.client, response);
      // A rotated refresh token replaces the old one; a provider that does not rotate keeps it.
      const tokens = tokenSetFromResponse(result, this.now(), account.tokens);
      await this.options.store.saveAccount(key, { ...account, tokens, state: 'connected', updatedAt: this.now() });
      this.options.logger?.info('refreshed credentials', { account: key, provider: provider.id });
      this.options.onAudit?.({ type: 'refreshed', key, providerId: provider.id, expiresAt: tokens.expiresAt });
      return ok(tokens);
    } catch (error) {
      const failure = toAuthFailure(error, provider);
      if (SIGN_IN_AGAIN_ERRORS.has(failure.code)) {
        await this.markNeedsSignin(key, account, failure.code);
        return fail('needs_signin', `${provider.name} no longer accepts this sign-in (${failure.code}). Sign in again.`);
      }
      this.options.logger?.warn('refresh failed', { account: key, provider: provider.id, code: failure.code });
      this.options.onAudit?.({ type: 'refresh_failed', key, providerId: provider.id, code: failure.code });
      return { ok: false, error: failure.toError() };
    }
  }

  private async markNeedsSignin(key: string, account: StoredAccount, code: string): Promise<void> {
    await this.options.store.saveAccount(key, { ...account, state: 'needs_signin', updatedAt: this.now() });
    this.options.logger?.warn('account needs sign-in again', { account: key, provider: account.providerId, code });
    this.options.onAudit?.({ type: 'needs_signin', key, providerId: account.providerId, code });
  }
}
