import path from 'node:path';
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
 * Gemini CLI's own format (checked against @google/gemini-cli 0.61.0): GEMINI_CLI_HOME replaces the
 * home folder, so files live in `$GEMINI_CLI_HOME/.gemini/`:
 * - `oauth_creds.json` (0600, google-auth-library Credentials: access_token, refresh_token, scope,
 *   token_type, id_token, expiry_date ms). Read as a plain file unless
 *   GEMINI_FORCE_ENCRYPTED_FILE_STORAGE=true, in which case the CLI moves it into its own keychain
 *   store and deletes it; the agent env pins that off.
 * - `settings.json` `security.auth.selectedType: "oauth-personal"`, or the CLI asks how to sign in.
 * - `google_accounts.json` `{ active: email, old: [] }`: the account the CLI shows.
 * At start the CLI checks the token with Google's tokeninfo endpoint (network), refreshing it first
 * if expired, and writes refreshed tokens back to oauth_creds.json.
 */
export const GEMINI_DIR = '.gemini';
export const GEMINI_OAUTH_FILE = 'oauth_creds.json';
export const GEMINI_SETTINGS_FILE = 'settings.json';
export const GEMINI_ACCOUNTS_FILE = 'google_accounts.json';
export const GEMINI_AUTH_TYPE = 'oauth-personal';

export function geminiAgentEnv(geminiCliHome: string): Record<string, string> {
  return { GEMINI_CLI_HOME: geminiCliHome, GEMINI_FORCE_ENCRYPTED_FILE_STORAGE: 'false' };
}

export function writeGeminiAgentCredentials(geminiCliHome: string, tokens: CliTokens): CredentialResult<{ file: string }> {
  const dir = path.join(geminiCliHome, GEMINI_DIR);
  const file = path.join(dir, GEMINI_OAUTH_FILE);
  if (!tokens.accessToken) return credentialFail('invalid_tokens', file, 'Gemini CLI needs an access token.');
  writeJsonFile0600(file, {
    access_token: tokens.accessToken,
    ...(tokens.refreshToken && { refresh_token: tokens.refreshToken }),
    ...(tokens.scopes?.length && { scope: tokens.scopes.join(' ') }),
    token_type: tokens.tokenType ?? 'Bearer',
    ...(tokens.idToken && { id_token: tokens.idToken }),
    ...(tokens.expiresAt !== undefined && { expiry_date: tokens.expiresAt }),
  });

  const settingsFile = path.join(dir, GEMINI_SETTINGS_FILE);
  const settings = readJsonObjectOrEmpty(settingsFile);
  const security = isRecord(settings.security) ? settings.security : {};
  const auth = isRecord(security.auth) ? security.auth : {};
  writeJsonFile0600(settingsFile, { ...settings, security: { ...security, auth: { ...auth, selectedType: GEMINI_AUTH_TYPE } } });

  if (tokens.email) {
    const accountsFile = path.join(dir, GEMINI_ACCOUNTS_FILE);
    const accounts = readJsonObjectOrEmpty(accountsFile);
    const old = Array.isArray(accounts.old) ? accounts.old.filter((e): e is string => typeof e === 'string' && e !== tokens.email) : [];
    const previous = optionalString(accounts.active);
    writeJsonFile0600(accountsFile, { active: tokens.email, old: previous && previous !== tokens.email ? [...old, previous] : old });
  }
  return credentialOk({ file });
}

export function readGeminiAgentCredentials(geminiCliHome: string): CredentialResult<AgentCredentials> {
  const dir = path.join(geminiCliHome, GEMINI_DIR);
  return readGeminiDir(dir);
}

function readGeminiDir(dir: string): CredentialResult<AgentCredentials> {
  const file = path.join(dir, GEMINI_OAUTH_FILE);
  const json = readJsonFile(file, 'Gemini CLI credentials file');
  if (!json.ok) return json;
  const tokens = parseGeminiCredentials(json.value, file);
  if (!tokens.ok) return tokens;
  const email = optionalString(readJsonObjectOrEmpty(path.join(dir, GEMINI_ACCOUNTS_FILE)).active);
  return credentialOk({ file, tokens: email ? { ...tokens.value, email } : tokens.value });
}

export function parseGeminiCredentials(value: unknown, file: string): CredentialResult<CliTokens> {
  if (!isRecord(value)) return credentialFail('malformed', file, `${file} is not a JSON object.`);
  const accessToken = optionalString(value.access_token);
  if (!accessToken) return credentialFail('malformed', file, `${file} has no "access_token".`);
  const scope = optionalString(value.scope);
  return credentialOk({
    accessToken,
    ...(optionalString(value.refresh_token) && { refreshToken: value.refresh_token as string }),
    ...(optionalString(value.id_token) && { idToken: value.id_token as string }),
    ...(typeof value.expiry_date === 'number' && { expiresAt: value.expiry_date }),
    ...(scope && { scopes: scope.split(/\s+/).filter(Boolean) }),
    ...(optionalString(value.token_type) && { tokenType: value.token_type as string }),
  });
}

/** Takes over `~/.gemini/oauth_creds.json` (read only), with the active account's email. */
export function importGeminiLogin(options: { readonly home: string }): CredentialResult<ImportedLogin> {
  const read = readGeminiDir(path.join(options.home, GEMINI_DIR));
  if (!read.ok) return read;
  return credentialOk({ provider: 'google', tokens: read.value.tokens, source: `imported from ${tildePath(read.value.file, options.home)}` });
}
