import { FileLockError, type FileLockOptions, type HeldLock, withFileLock } from '../base/file-lock.js';
import { CipherError } from './key-file-cipher.js';
import {
  EMPTY_CONTENTS,
  VAULT_FORMAT_VERSION,
  decodeEnvelope,
  encodeEnvelope,
  mergeContents,
  normalizeDefaults,
  parseContents,
  serializeContents,
  toSummary,
} from './vault-codec.js';
import {
  VaultError,
  type AccountSecrets,
  type AccountState,
  type AccountSummary,
  type Cipher,
  type SignInMethod,
  type VaultAccount,
  type VaultContents,
  type VaultProblem,
  type VaultStore,
} from './vault-types.js';

export interface VaultOptions {
  readonly cipher: Cipher;
  readonly store: VaultStore;
  /** Epoch ms; injectable so tests and sync merges are deterministic. */
  readonly now?: () => number;
  /** The cross-process write lock's wait and stale limits (defaults: base/file-lock). */
  readonly lock?: Pick<FileLockOptions, 'waitMs' | 'staleMs'>;
}

export interface AccountInput {
  readonly provider: string;
  /** Defaults to the email, else the name: one entry per provider and account. */
  readonly accountId?: string;
  readonly name: string;
  readonly email?: string;
  readonly plan?: string;
  readonly method: SignInMethod;
  readonly source?: string;
  readonly meta?: Readonly<Record<string, string>>;
  readonly secrets: AccountSecrets;
  readonly state?: AccountState;
  readonly stateReason?: string;
  /** Make this the provider's default (the first account of a provider always is). */
  readonly makeDefault?: boolean;
}

type Loaded = { contents: VaultContents; problem?: VaultProblem };

/**
 * Accounts per provider, encrypted as a whole by a Cipher and kept in a Store. Every call re-reads
 * the store, so a CLI process and the app see each other's writes; calls within this process run
 * one at a time, and every read-modify-write holds the store file's lock, so writers in other
 * processes (a second `connect`, the app) wait their turn instead of overwriting each other. Secrets come out only through `getAccount`/`getSecrets` (daemon side); `list`
 * gives the renderer's view.
 */
export class CredentialVault {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly problemLog: VaultProblem[] = [];
  private readonly changeListeners = new Set<() => void>();

  private constructor(
    private readonly cipher: Cipher,
    private readonly store: VaultStore,
    private readonly now: () => number,
    private readonly lockOptions: Pick<FileLockOptions, 'waitMs' | 'staleMs'> = {},
  ) {}

  /**
   * Opens the vault. A corrupt or undecryptable vault is kept aside and reported in `problem`; the
   * vault then works from empty. Nothing is ever wiped without that report.
   */
  static async open(options: VaultOptions): Promise<{ vault: CredentialVault; problem?: VaultProblem }> {
    const vault = new CredentialVault(options.cipher, options.store, options.now ?? Date.now, options.lock);
    const loaded = await vault.exclusive(() => vault.read());
    return loaded.problem ? { vault, problem: loaded.problem } : { vault };
  }

  get protection(): Cipher['protection'] {
    return this.cipher.protection;
  }

  get protectionDetail(): string | undefined {
    return this.cipher.protectionDetail;
  }

  /** Every problem met since open (a vault broken by someone else later is reported here too). */
  get problems(): ReadonlyArray<VaultProblem> {
    return this.problemLog;
  }

  async list(provider?: string): Promise<AccountSummary[]> {
    const { contents } = await this.exclusive(() => this.read());
    return contents.accounts.filter((a) => provider === undefined || a.provider === provider).map(toSummary);
  }

  /** Daemon only: the full account including secrets. */
  async getAccount(provider: string, accountId?: string): Promise<VaultAccount | undefined> {
    const { contents } = await this.exclusive(() => this.read());
    return find(contents, provider, accountId);
  }

  /** Daemon only. Without accountId: the provider's default account. */
  async getSecrets(provider: string, accountId?: string): Promise<AccountSecrets | undefined> {
    return (await this.getAccount(provider, accountId))?.secrets;
  }

  async upsert(input: AccountInput): Promise<AccountSummary> {
    return this.mutate((contents, now) => {
      const accountId = input.accountId ?? input.email ?? input.name;
      const existing = contents.accounts.find((a) => a.provider === input.provider && a.accountId === accountId);
      const first = !contents.accounts.some((a) => a.provider === input.provider && a.accountId !== accountId);
      const account: VaultAccount = stripUndefined({
        provider: input.provider,
        accountId,
        name: input.name,
        email: input.email ?? existing?.email,
        plan: input.plan ?? existing?.plan,
        method: input.method,
        source: input.source,
        meta: input.meta ?? existing?.meta,
        secrets: stripUndefined({ ...input.secrets }),
        state: input.state ?? 'connected',
        stateReason: input.stateReason,
        updatedAt: bump(now, existing?.updatedAt),
        isDefault: Boolean(input.makeDefault) || first || Boolean(existing?.isDefault),
      });
      let accounts = [...contents.accounts.filter((a) => a !== existing), account];
      if (input.makeDefault) accounts = clearOtherDefaults(accounts, account, now);
      return { contents: withAccounts(contents, accounts, account), result: toSummary(account) };
    });
  }

  /** After a refresh: merge new token fields into the account's secrets, state back to connected. */
  async updateSecrets(provider: string, accountId: string, patch: AccountSecrets): Promise<AccountSummary> {
    return this.mutate((contents, now) => {
      const existing = requireAccount(contents, provider, accountId);
      const account: VaultAccount = stripUndefined({
        ...existing,
        secrets: stripUndefined({ ...existing.secrets, ...patch }),
        state: 'connected',
        stateReason: undefined,
        updatedAt: bump(now, existing.updatedAt),
      });
      return { contents: replace(contents, existing, account), result: toSummary(account) };
    });
  }

  async setState(provider: string, accountId: string, state: AccountState, reason?: string): Promise<AccountSummary> {
    return this.mutate((contents, now) => {
      const existing = requireAccount(contents, provider, accountId);
      const account: VaultAccount = stripUndefined({ ...existing, state, stateReason: reason, updatedAt: bump(now, existing.updatedAt) });
      return { contents: replace(contents, existing, account), result: toSummary(account) };
    });
  }

  async setDefault(provider: string, accountId: string): Promise<AccountSummary> {
    return this.mutate((contents, now) => {
      const existing = requireAccount(contents, provider, accountId);
      const account: VaultAccount = { ...existing, isDefault: true, updatedAt: bump(now, existing.updatedAt) };
      const accounts = clearOtherDefaults(
        contents.accounts.map((a) => (a === existing ? account : a)),
        account,
        now,
      );
      return { contents: { ...contents, accounts }, result: toSummary(account) };
    });
  }

  /** Removes one account and leaves a tombstone; returns what was removed, undefined if nothing. */
  async remove(provider: string, accountId: string): Promise<AccountSummary | undefined> {
    return this.mutate((contents, now) => {
      const existing = find(contents, provider, accountId);
      if (!existing) return { contents, result: undefined, unchanged: true };
      const accounts = normalizeDefaults(contents.accounts.filter((a) => a !== existing));
      // Called with a name, the tombstone still carries the account's id (what sync merges on).
      const id = existing.accountId;
      const tombstones = [
        ...contents.tombstones.filter((t) => !(t.provider === provider && t.accountId === id)),
        { provider, accountId: id, deletedAt: bump(now, existing.updatedAt) },
      ];
      return { contents: { accounts, tombstones }, result: toSummary(existing) };
    });
  }

  /** The whole content, secrets included: for the sync client, which encrypts it end to end. */
  async exportContents(): Promise<VaultContents> {
    return (await this.exclusive(() => this.read())).contents;
  }

  /** Called after every write by this process (cloud sync pushes on it). */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Merges a copy from elsewhere (cloud sync): per entry, newest change wins. */
  async merge(remote: VaultContents): Promise<void> {
    await this.mutate((contents) => ({ contents: mergeContents(contents, remote), result: undefined }));
  }

  private async mutate<T>(
    change: (contents: VaultContents, now: number) => { contents: VaultContents; result: T; unchanged?: boolean },
  ): Promise<T> {
    return this.exclusive(() =>
      this.locked(async (lock) => {
        const { contents } = await this.load();
        const next = change(contents, this.now());
        if (!next.unchanged) await this.save(next.contents, lock);
        return next.result;
      }),
    );
  }

  /** A read; one that finds the vault unreadable sets it aside under the lock, after looking again. */
  private async read(): Promise<Loaded> {
    const first = await this.load({ dryRun: true });
    if (!first.problem) return first;
    return this.locked(() => this.load());
  }

  private async locked<T>(task: (lock: HeldLock) => Promise<T>): Promise<T> {
    try {
      return await withFileLock(this.store.file, task, this.lockOptions);
    } catch (error) {
      if (error instanceof FileLockError) throw new VaultError('data_busy', error.message);
      throw error;
    }
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** dryRun: report a problem without setting the file aside (done later, holding the lock). */
  private async load(options: { dryRun?: boolean } = {}): Promise<Loaded> {
    const keepAside = (code: VaultProblem['code'], sentence: string): Loaded =>
      options.dryRun ? { contents: EMPTY_CONTENTS, problem: { code, message: sentence, backup: '' } } : this.keepAside(code, sentence);
    const data = this.store.read();
    if (!data) return { contents: EMPTY_CONTENTS };
    const envelope = decodeEnvelope(data);
    if (!envelope.ok) return keepAside('vault_corrupt', `The credential vault is corrupt: ${envelope.reason}.`);
    if (envelope.header.version !== VAULT_FORMAT_VERSION) {
      return keepAside(
        'vault_corrupt',
        `The credential vault has format version ${envelope.header.version}, which this version of the app cannot read (it reads version ${VAULT_FORMAT_VERSION}).`,
      );
    }
    if (envelope.header.cipherKind !== this.cipher.kind) {
      return keepAside(
        'vault_undecryptable',
        `The credential vault was encrypted with "${envelope.header.cipherKind}", but this app now uses "${this.cipher.kind}", so it cannot be decrypted.`,
      );
    }
    let plain: Buffer;
    try {
      plain = await this.cipher.decrypt(envelope.sealed);
    } catch (error) {
      const why = error instanceof CipherError ? error.message : `decryption failed (${(error as Error).message})`;
      return keepAside('vault_undecryptable', `The credential vault cannot be decrypted: ${why}`);
    }
    const parsed = parseContents(plain);
    if (!parsed.ok) return keepAside('vault_corrupt', `The credential vault is corrupt: ${parsed.reason}.`);
    return { contents: parsed.contents };
  }

  private keepAside(code: VaultProblem['code'], sentence: string): Loaded {
    const backup = this.store.keepAside(code === 'vault_corrupt' ? 'corrupt' : 'undecryptable');
    const problem: VaultProblem = {
      code,
      message: `${sentence} It was kept as ${backup}; the app continues with an empty vault, so sign in again or restore that file.`,
      backup,
    };
    this.problemLog.push(problem);
    return { contents: EMPTY_CONTENTS, problem };
  }

  private async save(contents: VaultContents, lock: HeldLock): Promise<void> {
    try {
      const sealed = await this.cipher.encrypt(serializeContents(contents));
      // Our heartbeat failed and another writer may have taken over: write nothing.
      lock.assertHeld();
      this.store.write(encodeEnvelope({ version: VAULT_FORMAT_VERSION, cipherKind: this.cipher.kind }, sealed));
    } catch (error) {
      if (error instanceof FileLockError) throw new VaultError('data_busy', error.message);
      throw new VaultError('vault_write_failed', `The credential vault could not be saved: ${(error as Error).message}.`);
    }
    for (const listener of this.changeListeners) listener();
  }
}

function find(contents: VaultContents, provider: string, accountId: string | undefined): VaultAccount | undefined {
  return contents.accounts.find((a) => a.provider === provider && (accountId === undefined ? a.isDefault : a.accountId === accountId || a.name === accountId));
}

function requireAccount(contents: VaultContents, provider: string, accountId: string): VaultAccount {
  const account = find(contents, provider, accountId);
  if (!account) throw new VaultError('account_not_found', `There is no ${provider} account "${accountId}" in the vault.`);
  return account;
}

function replace(contents: VaultContents, existing: VaultAccount, account: VaultAccount): VaultContents {
  return { ...contents, accounts: contents.accounts.map((a) => (a === existing ? account : a)) };
}

function withAccounts(contents: VaultContents, accounts: VaultAccount[], added: VaultAccount): VaultContents {
  // A new login for a removed account supersedes its tombstone.
  const tombstones = contents.tombstones.filter((t) => !(t.provider === added.provider && t.accountId === added.accountId));
  return { accounts: normalizeDefaults(accounts), tombstones };
}

function clearOtherDefaults(accounts: VaultAccount[], keep: VaultAccount, now: number): VaultAccount[] {
  return accounts.map((a) =>
    a.provider === keep.provider && a !== keep && a.isDefault ? { ...a, isDefault: false, updatedAt: bump(now, a.updatedAt) } : a,
  );
}

/** A change always moves updatedAt forward, so "newest wins" holds even within one millisecond. */
function bump(now: number, previous: number | undefined): number {
  return previous !== undefined && previous >= now ? previous + 1 : now;
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
