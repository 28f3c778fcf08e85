/**
 * The credential vault's types. Secrets live only in `AccountSecrets`; everything the renderer may
 * see is an `AccountSummary`, built by listing, never by stripping a full account on the way out.
 */

/** Encrypts the vault as a whole. Electron: safeStorage; headless: the key file cipher. */
export interface Cipher {
  /** Written into the vault header, so a vault sealed by another cipher is reported, not misread. */
  readonly kind: string;
  /** 'weaker' makes the UI and `providers` output say "weaker protection". */
  readonly protection: 'os-keystore' | 'weaker';
  /** When 'weaker': a sentence saying what really protects the secrets, shown as it is. */
  readonly protectionDetail?: string;
  encrypt(plain: Buffer): Buffer | Promise<Buffer>;
  decrypt(cipher: Buffer): Buffer | Promise<Buffer>;
}

/** Where the encrypted vault lives. Electron: electron-store; headless: a file in the data dir. */
export interface VaultStore {
  /** The file it keeps the vault in: writers lock it across processes (base/file-lock). */
  readonly file: string;
  read(): Buffer | undefined;
  write(data: Buffer): void;
  /** Moves the current content aside (never deletes it) and says where it went, for the report. */
  keepAside(label: string): string;
}

export type SignInMethod = 'cli' | 'cli-console' | 'cli-token' | 'browser' | 'device' | 'paste' | 'import' | 'api-key' | 'self-hosted';
export const SIGN_IN_METHODS: ReadonlyArray<SignInMethod> = ['cli', 'cli-console', 'cli-token', 'browser', 'device', 'paste', 'import', 'api-key', 'self-hosted'];

export type AccountState = 'connected' | 'needs_signin' | 'error';

/** What came of checking an API key with its provider when it was saved. */
export type KeyCheck = 'accepted' | 'not-checked';
export const KEY_CHECKS: ReadonlyArray<KeyCheck> = ['accepted', 'not-checked'];
export const ACCOUNT_STATES: ReadonlyArray<AccountState> = ['connected', 'needs_signin', 'error'];

/** Daemon-only. Field names line up with auth's TokenSet so the refresh owner maps one to one. */
export interface AccountSecrets {
  readonly accessToken?: string;
  readonly refreshToken?: string;
  readonly idToken?: string;
  readonly apiKey?: string;
  /** Epoch milliseconds of the access token's expiry. */
  readonly expiresAt?: number;
  readonly scope?: string;
  readonly tokenType?: string;
  /** Provider-specific secret values (e.g. a Copilot session token). */
  readonly extra?: Readonly<Record<string, string>>;
}

export interface VaultAccount {
  readonly provider: string;
  /** Stable key within the provider (the provider's account id, or a slug of the name). */
  readonly accountId: string;
  /** What the user calls this account ("work", "ada@example.com"). */
  readonly name: string;
  readonly email?: string;
  readonly plan?: string;
  readonly method: SignInMethod;
  /** Where the login came from, e.g. "imported from ~/.claude/.credentials.json". */
  readonly source?: string;
  /** Non-secret provider data the CLI formats need (e.g. chatgpt account id, base URL). */
  readonly meta?: Readonly<Record<string, string>>;
  readonly secrets: AccountSecrets;
  readonly state: AccountState;
  /** A sentence saying why the state is not 'connected'. */
  readonly stateReason?: string;
  /** Epoch ms of the last change; cloud sync merges per entry, newest wins. */
  readonly updatedAt: number;
  readonly isDefault: boolean;
}

/** A removal, kept so a sync merge does not resurrect the account from an older copy. */
export interface VaultTombstone {
  readonly provider: string;
  readonly accountId: string;
  readonly deletedAt: number;
}

export interface VaultContents {
  readonly accounts: ReadonlyArray<VaultAccount>;
  readonly tombstones: ReadonlyArray<VaultTombstone>;
}

/** What the renderer may see about an account: no token, no key, nothing secret. */
export interface AccountSummary {
  readonly provider: string;
  readonly accountId: string;
  readonly name: string;
  readonly email?: string;
  readonly plan?: string;
  readonly method: SignInMethod;
  readonly source?: string;
  /** An API key: whether the provider accepted it when it was saved (kept in meta.keyCheck). */
  readonly keyCheck?: KeyCheck;
  /** The account's own config home (relative to the data folder) when its CLI keeps the login. */
  readonly configHome?: string;
  /** The CLI that made and refreshes the login ("Claude Code"), when not the app. */
  readonly signedInBy?: string;
  readonly expiresAt?: number;
  readonly state: AccountState;
  readonly stateReason?: string;
  readonly updatedAt: number;
  readonly isDefault: boolean;
  readonly canRefresh: boolean;
}

export type VaultErrorCode = 'vault_corrupt' | 'vault_undecryptable' | 'vault_write_failed' | 'account_not_found' | 'data_busy';

/** An error value the UI can act on: a code and a sentence. */
export class VaultError extends Error {
  constructor(
    readonly code: VaultErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'VaultError';
  }
}

/** Reported once when the vault could not be read: what happened and where the old file was kept. */
export interface VaultProblem {
  readonly code: 'vault_corrupt' | 'vault_undecryptable';
  readonly message: string;
  readonly backup: string;
}
