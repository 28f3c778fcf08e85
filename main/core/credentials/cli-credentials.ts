import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../base/atomic-file.js';

/** Tokens as the app holds them, before they are put in one CLI's own format. */
export interface CliTokens {
  readonly accessToken: string;
  readonly refreshToken?: string;
  readonly idToken?: string;
  /** Epoch milliseconds. */
  readonly expiresAt?: number;
  readonly scopes?: ReadonlyArray<string>;
  readonly tokenType?: string;
  /** Subscription / plan as the CLI names it (Claude: "pro", "max"; Codex: the id_token's plan). */
  readonly plan?: string;
  readonly email?: string;
  /** The provider's account id (Codex: chatgpt_account_id). */
  readonly accountId?: string;
  /** Epoch ms of the last refresh (Codex keeps it as last_refresh). */
  readonly lastRefresh?: number;
  /** Extra identity fields a CLI shows (Claude's oauthAccount). */
  readonly profile?: Readonly<Record<string, string>>;
}

export type CredentialErrorCode = 'not_found' | 'unreadable' | 'malformed' | 'unsupported_platform' | 'invalid_tokens';

export interface CredentialError {
  readonly code: CredentialErrorCode;
  /** The file (or keychain item) the error is about. */
  readonly file: string;
  readonly message: string;
}

export type CredentialResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: CredentialError };

export function credentialOk<T>(value: T): CredentialResult<T> {
  return { ok: true, value };
}

export function credentialFail<T = never>(code: CredentialErrorCode, file: string, message: string): CredentialResult<T> {
  return { ok: false, error: { code, file, message } };
}

/** What a CLI holds in a config home, read back after it ran. */
export interface AgentCredentials {
  readonly file: string;
  readonly tokens: CliTokens;
}

/** A login taken over from the user's own CLI files. */
export interface ImportedLogin {
  readonly provider: string;
  /** OAuth tokens; absent when the CLI held only an API key. */
  readonly tokens?: CliTokens;
  /** For the card: "imported from ~/.claude/.credentials.json". */
  readonly source: string;
  /** An API key instead of OAuth tokens (Codex in API-key mode). */
  readonly apiKey?: string;
}

/**
 * Reads a JSON file without changing it (no chmod, no rewrite). `not_found`, `unreadable` and
 * `malformed` name the file.
 */
export function readJsonFile(file: string, what: string): CredentialResult<unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return credentialFail('not_found', file, `No ${what} was found at ${file}.`);
    return credentialFail('unreadable', file, `The ${what} at ${file} cannot be read (${code ?? (error as Error).message}).`);
  }
  try {
    return credentialOk(JSON.parse(text) as unknown);
  } catch {
    return credentialFail('malformed', file, `The ${what} at ${file} is not valid JSON.`);
  }
}

/** Writes one credential file the way the CLIs do: atomically, owner-only (0600), folder 0700. */
export function writeJsonFile0600(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`, 0o600);
}

/** Reads an object-valued JSON file that may be absent (a CLI's settings), for a merge. */
export function readJsonObjectOrEmpty(file: string): Record<string, unknown> {
  const result = readJsonFile(file, 'file');
  if (!result.ok) return {};
  return isRecord(result.value) ? result.value : {};
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Displays a path under the home folder with `~`, as the card shows it. */
export function tildePath(file: string, home: string): string {
  const rel = path.relative(home, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? `~/${rel.split(path.sep).join('/')}` : file;
}

export type TokenChange = 'unchanged' | 'access_token' | 'refresh_token';

/**
 * What the CLI changed since the app wrote its tokens. 'refresh_token': it refreshed and the
 * provider rotated the refresh token, so the app must adopt the new tokens now or the next refresh
 * (by the app or another agent) uses a dead one. 'access_token': a refresh without rotation
 * (Google); adopting it saves a refresh.
 */
export function compareAgentTokens(given: Pick<CliTokens, 'accessToken' | 'refreshToken'>, found: Pick<CliTokens, 'accessToken' | 'refreshToken'>): TokenChange {
  if (found.refreshToken !== undefined && found.refreshToken !== given.refreshToken) return 'refresh_token';
  if (found.accessToken !== given.accessToken) return 'access_token';
  return 'unchanged';
}

/** JWT payload for display and account ids only: no signature check, never trusted for access. */
export function decodeJwtPayload(jwt: string): Record<string, unknown> | undefined {
  const part = jwt.split('.')[1];
  if (!part) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
