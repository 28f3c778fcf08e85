import os from 'node:os';
import type { AccountView } from '../../../preload/contract.js';
import { oauthProvider, type Provider } from '../auth/provider-registry.js';
import type { TokenSet } from '../auth/token-set.js';
import type { CredentialVault } from '../vault/credential-vault.js';
import type { VaultAccount } from '../vault/vault-types.js';
import type { ServerInfo } from './sync-client.js';

/** Reserved vault entry: provider ids start with a letter or digit, so no provider can be this. */
export const SYNC_ENTRY_PROVIDER = '_sync';
export const SYNC_ENTRY_ID = 'account';
export const SYNC_PROVIDER_ID = 'agent-relay-cloud';
/** Asked for when the server names no scopes. */
const DEFAULT_SCOPES = ['openid', 'email', 'offline_access'];

/** The sync login as kept (encrypted) in the local vault. */
export interface SyncAccount {
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

/** The sync server's issuer as an OAuth provider: the registry's defaults, device sign-in only. */
export function syncProvider(account: Pick<SyncAccount, 'issuer' | 'clientId' | 'scopes'>): Provider {
  return oauthProvider({
    id: SYNC_PROVIDER_ID,
    name: 'the sync server',
    description: 'Agent Relay cloud sync',
    brandColor: '#4F46E5',
    logo: 'agent-relay-cloud.svg',
    methods: ['device'],
    issuer: account.issuer,
    clientId: account.clientId,
    scopes: [...account.scopes],
  });
}

/** The provider to sign in to, from what the server says about itself. */
export function syncProviderOf(info: ServerInfo): Provider {
  return syncProvider({ issuer: info.issuer, clientId: info.clientId, scopes: info.scopes.length ? info.scopes : DEFAULT_SCOPES });
}

/** Who signed in, as the server's issuer names them. */
export const accountLabel = (tokens: TokenSet): string | undefined => tokens.account?.email ?? tokens.account?.name ?? tokens.account?.subject;

/**
 * The sync login after a sign-in. The same person on the same server keeps this device's
 * registration, its sync switch and its vault key; anyone else starts with sync off.
 */
export function accountAfterSignIn(
  previous: SyncAccount | undefined,
  signIn: { server: string; allowInsecureHttp: boolean; info: ServerInfo; scopes: ReadonlyArray<string>; tokens: TokenSet; deviceName: string },
): { account: SyncAccount; same: boolean } {
  const { tokens } = signIn;
  const label = accountLabel(tokens);
  const same = previous !== undefined && previous.server === signIn.server && previous.account === label;
  const account: SyncAccount = {
    server: signIn.server,
    allowInsecureHttp: signIn.allowInsecureHttp,
    issuer: signIn.info.issuer,
    clientId: signIn.info.clientId,
    scopes: signIn.scopes,
    ...(label ? { account: label } : {}),
    ...(same && previous.deviceId ? { deviceId: previous.deviceId } : {}),
    deviceName: previous?.deviceName ?? signIn.deviceName,
    enabled: same ? previous.enabled : false,
    accessToken: tokens.accessToken,
    ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
    ...(tokens.expiresAt !== undefined ? { expiresAt: tokens.expiresAt } : {}),
    ...(same && previous.vaultKey ? { vaultKey: previous.vaultKey } : {}),
  };
  return { account, same };
}

/** The sync login as the sign-in dialog shows it once connected. */
export function signedInView(tokens: TokenSet): AccountView {
  const label = accountLabel(tokens);
  return {
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
}

export function toEntry(account: SyncAccount): Parameters<CredentialVault['upsert']>[0] {
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

export function fromEntry(entry: VaultAccount): SyncAccount | undefined {
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
