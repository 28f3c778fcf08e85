import path from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  credentialFail,
  credentialOk,
  isRecord,
  optionalString,
  readJsonFile,
  readJsonObjectOrEmpty,
  tildePath,
  writeJsonFile0600,
  type AgentCredentials,
  type CliTokens,
  type CredentialResult,
  type ImportedLogin,
} from './cli-credentials.js';

/**
 * Claude Code's own format (checked against @anthropic-ai/claude-code 2.1.197):
 * - `$CLAUDE_CONFIG_DIR/.credentials.json` (0600): `{ claudeAiOauth: { accessToken, refreshToken,
 *   expiresAt (ms), scopes[], subscriptionType, rateLimitTier? } }`; other top-level keys
 *   (`mcpOAuth`) belong to the CLI and are kept.
 * - `$CLAUDE_CONFIG_DIR/.claude.json` (when CLAUDE_CONFIG_DIR is set; `~/.claude.json` otherwise):
 *   `oauthAccount` (emailAddress, accountUuid, organizationUuid, …) is what `claude auth status`
 *   shows as email/orgId; `hasCompletedOnboarding: true` is what the CLI sets after /login, so
 *   the agent does not open on the first-run wizard.
 * `claude auth status` reports loggedIn from the file alone, offline.
 */
export const CLAUDE_CREDENTIALS_FILE = '.credentials.json';
export const CLAUDE_STATE_FILE = '.claude.json';
export const CLAUDE_KEYCHAIN_SERVICE = 'Claude Code-credentials';
const DEFAULT_SCOPES: ReadonlyArray<string> = ['user:inference', 'user:profile'];

export function claudeAgentEnv(configDir: string): Record<string, string> {
  return { CLAUDE_CONFIG_DIR: configDir };
}

/** Called just before an agent starts: the account's tokens in Claude Code's own files. */
export function writeClaudeAgentCredentials(configDir: string, tokens: CliTokens): CredentialResult<{ file: string }> {
  const file = path.join(configDir, CLAUDE_CREDENTIALS_FILE);
  if (!tokens.accessToken) return credentialFail('invalid_tokens', file, 'Claude Code needs an access token.');
  const existing = readJsonObjectOrEmpty(file);
  writeJsonFile0600(file, {
    ...existing,
    claudeAiOauth: {
      accessToken: tokens.accessToken,
      ...(tokens.refreshToken && { refreshToken: tokens.refreshToken }),
      ...(tokens.expiresAt !== undefined && { expiresAt: tokens.expiresAt }),
      scopes: [...(tokens.scopes?.length ? tokens.scopes : DEFAULT_SCOPES)],
      subscriptionType: tokens.plan ?? null,
      ...(tokens.profile?.rateLimitTier && { rateLimitTier: tokens.profile.rateLimitTier }),
    },
  });

  const stateFile = path.join(configDir, CLAUDE_STATE_FILE);
  const state = readJsonObjectOrEmpty(stateFile);
  const oauthAccount = claudeOauthAccount(tokens);
  writeJsonFile0600(stateFile, {
    ...state,
    hasCompletedOnboarding: true,
    ...(oauthAccount && { oauthAccount: { ...(isRecord(state.oauthAccount) ? state.oauthAccount : {}), ...oauthAccount } }),
  });
  return credentialOk({ file });
}

function claudeOauthAccount(tokens: CliTokens): Record<string, string> | undefined {
  const account: Record<string, string> = {};
  if (tokens.email) account.emailAddress = tokens.email;
  if (tokens.accountId) account.accountUuid = tokens.accountId;
  for (const key of ['organizationUuid', 'organizationName', 'displayName'] as const) {
    const value = tokens.profile?.[key];
    if (value) account[key] = value;
  }
  return Object.keys(account).length ? account : undefined;
}

/** Reads what the agent's Claude Code holds now (after it may have refreshed and rotated). */
export function readClaudeAgentCredentials(configDir: string): CredentialResult<AgentCredentials> {
  const file = path.join(configDir, CLAUDE_CREDENTIALS_FILE);
  const json = readJsonFile(file, 'Claude Code credentials file');
  if (!json.ok) return json;
  const tokens = parseClaudeCredentials(json.value, file);
  if (!tokens.ok) return tokens;
  const account = readJsonObjectOrEmpty(path.join(configDir, CLAUDE_STATE_FILE)).oauthAccount;
  return credentialOk({ file, tokens: withAccount(tokens.value, account) });
}

export function parseClaudeCredentials(value: unknown, file: string): CredentialResult<CliTokens> {
  const oauth = isRecord(value) ? value.claudeAiOauth : undefined;
  if (!isRecord(oauth)) return credentialFail('malformed', file, `${file} has no "claudeAiOauth" object.`);
  const accessToken = optionalString(oauth.accessToken);
  if (!accessToken) return credentialFail('malformed', file, `${file} has no access token in "claudeAiOauth".`);
  const scopes = Array.isArray(oauth.scopes) ? oauth.scopes.filter((s): s is string => typeof s === 'string') : undefined;
  const rateLimitTier = optionalString(oauth.rateLimitTier);
  return credentialOk({
    accessToken,
    ...(optionalString(oauth.refreshToken) && { refreshToken: oauth.refreshToken as string }),
    ...(typeof oauth.expiresAt === 'number' && { expiresAt: oauth.expiresAt }),
    ...(scopes && { scopes }),
    ...(optionalString(oauth.subscriptionType) && { plan: oauth.subscriptionType as string }),
    ...(rateLimitTier && { profile: { rateLimitTier } }),
  });
}

function withAccount(tokens: CliTokens, oauthAccount: unknown): CliTokens {
  if (!isRecord(oauthAccount)) return tokens;
  const profile: Record<string, string> = { ...tokens.profile };
  for (const key of ['organizationUuid', 'organizationName', 'displayName'] as const) {
    const value = optionalString(oauthAccount[key]);
    if (value) profile[key] = value;
  }
  const email = optionalString(oauthAccount.emailAddress);
  const accountId = optionalString(oauthAccount.accountUuid);
  return { ...tokens, ...(email && { email }), ...(accountId && { accountId }), ...(Object.keys(profile).length && { profile }) };
}

export interface ClaudeImportOptions {
  readonly home: string;
  readonly platform?: NodeJS.Platform;
  /** Runs `security find-generic-password -s "Claude Code-credentials" -w`; injectable for tests. */
  readonly readKeychain?: () => string | undefined;
}

/**
 * Takes over the login the user's own Claude Code holds: on macOS the Keychain item first, then
 * `~/.claude/.credentials.json`. Read only; nothing of the user's is changed.
 */
export function importClaudeLogin(options: ClaudeImportOptions): CredentialResult<ImportedLogin> {
  const { home } = options;
  const platform = options.platform ?? process.platform;
  const account = readJsonObjectOrEmpty(path.join(home, CLAUDE_STATE_FILE)).oauthAccount;
  const file = path.join(home, '.claude', CLAUDE_CREDENTIALS_FILE);

  if (platform === 'darwin') {
    const secret = (options.readKeychain ?? readMacKeychain)();
    if (secret) {
      const item = `macOS Keychain item "${CLAUDE_KEYCHAIN_SERVICE}"`;
      let parsed: unknown;
      try {
        parsed = JSON.parse(secret);
      } catch {
        return credentialFail('malformed', item, `The ${item} does not hold JSON.`);
      }
      const tokens = parseClaudeCredentials(parsed, item);
      if (!tokens.ok) return tokens;
      return credentialOk({ provider: 'anthropic', tokens: withAccount(tokens.value, account), source: `imported from the ${item}` });
    }
  }

  const json = readJsonFile(file, 'Claude Code credentials file');
  if (!json.ok) return json;
  const tokens = parseClaudeCredentials(json.value, file);
  if (!tokens.ok) return tokens;
  return credentialOk({ provider: 'anthropic', tokens: withAccount(tokens.value, account), source: `imported from ${tildePath(file, home)}` });
}

/** macOS only, not exercised on Linux CI: a missing item or a refused prompt reads as "none". */
function readMacKeychain(): string | undefined {
  try {
    const out = execFileSync('security', ['find-generic-password', '-s', CLAUDE_KEYCHAIN_SERVICE, '-w'], {
      encoding: 'utf8',
      timeout: 10_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return out.trim() || undefined;
  } catch {
    return undefined;
  }
}
