import path from 'node:path';
import {
  credentialFail,
  credentialOk,
  decodeJwtPayload,
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
 * Codex's own format (checked against @openai/codex 0.169.0): `$CODEX_HOME/auth.json` (0600)
 * `{ auth_mode: "chatgpt", OPENAI_API_KEY: null, tokens: { id_token, access_token, refresh_token,
 * account_id }, last_refresh }`. The CLI parses id_token as a JWT (a non-JWT is refused as
 * "invalid credential JSON") but does not check its signature; `codex login status` is offline.
 */
export const CODEX_AUTH_FILE = 'auth.json';
export const OPENAI_AUTH_CLAIM = 'https://api.openai.com/auth';

export function codexAgentEnv(codexHome: string): Record<string, string> {
  return { CODEX_HOME: codexHome };
}

/** The ChatGPT account id and plan, from the id_token's `https://api.openai.com/auth` claim. */
export function codexAccountFromIdToken(idToken: string): { accountId?: string; plan?: string; email?: string } {
  const claims = decodeJwtPayload(idToken);
  const auth = claims?.[OPENAI_AUTH_CLAIM];
  const accountId = isRecord(auth) ? optionalString(auth.chatgpt_account_id) : undefined;
  const plan = isRecord(auth) ? optionalString(auth.chatgpt_plan_type) : undefined;
  const email = optionalString(claims?.email);
  return { ...(accountId && { accountId }), ...(plan && { plan }), ...(email && { email }) };
}

export function writeCodexAgentCredentials(codexHome: string, tokens: CliTokens, now: () => number = Date.now): CredentialResult<{ file: string }> {
  const file = path.join(codexHome, CODEX_AUTH_FILE);
  if (!tokens.idToken || !decodeJwtPayload(tokens.idToken)) {
    return credentialFail('invalid_tokens', file, 'Codex needs the id_token of a ChatGPT sign-in (a JWT); sign in again.');
  }
  if (!tokens.refreshToken) return credentialFail('invalid_tokens', file, 'Codex needs a refresh token; sign in again.');
  const accountId = tokens.accountId ?? codexAccountFromIdToken(tokens.idToken).accountId;
  // Keep keys the CLI added itself; replace the login.
  const existing = readJsonObjectOrEmpty(file);
  writeJsonFile0600(file, {
    ...existing,
    auth_mode: 'chatgpt',
    OPENAI_API_KEY: null,
    tokens: {
      id_token: tokens.idToken,
      access_token: tokens.accessToken,
      refresh_token: tokens.refreshToken,
      ...(accountId && { account_id: accountId }),
    },
    last_refresh: new Date(tokens.lastRefresh ?? now()).toISOString(),
  });
  return credentialOk({ file });
}

export function readCodexAgentCredentials(codexHome: string): CredentialResult<AgentCredentials> {
  const file = path.join(codexHome, CODEX_AUTH_FILE);
  const json = readJsonFile(file, 'Codex auth file');
  if (!json.ok) return json;
  const parsed = parseCodexAuth(json.value, file);
  if (!parsed.ok) return parsed;
  if (!parsed.value.tokens) return credentialFail('malformed', file, `${file} holds an API key, not a ChatGPT sign-in.`);
  return credentialOk({ file, tokens: parsed.value.tokens });
}

interface CodexAuth {
  readonly tokens?: CliTokens;
  readonly apiKey?: string;
}

export function parseCodexAuth(value: unknown, file: string): CredentialResult<CodexAuth> {
  if (!isRecord(value)) return credentialFail('malformed', file, `${file} is not a JSON object.`);
  const apiKey = optionalString(value.OPENAI_API_KEY);
  const raw = value.tokens;
  if (!isRecord(raw)) {
    if (apiKey) return credentialOk({ apiKey });
    return credentialFail('malformed', file, `${file} has neither "tokens" nor "OPENAI_API_KEY".`);
  }
  const accessToken = optionalString(raw.access_token);
  const idToken = optionalString(raw.id_token);
  if (!accessToken || !idToken) return credentialFail('malformed', file, `${file} lacks "tokens.access_token" or "tokens.id_token".`);
  const fromId = codexAccountFromIdToken(idToken);
  const accessClaims = decodeJwtPayload(accessToken);
  const lastRefresh = typeof value.last_refresh === 'string' ? Date.parse(value.last_refresh) : NaN;
  const accountId = optionalString(raw.account_id) ?? fromId.accountId;
  const tokens: CliTokens = {
    accessToken,
    idToken,
    ...(optionalString(raw.refresh_token) && { refreshToken: raw.refresh_token as string }),
    ...(typeof accessClaims?.exp === 'number' && { expiresAt: accessClaims.exp * 1000 }),
    ...(accountId && { accountId }),
    ...(fromId.plan && { plan: fromId.plan }),
    ...(fromId.email && { email: fromId.email }),
    ...(Number.isFinite(lastRefresh) && { lastRefresh }),
  };
  return credentialOk({ tokens, ...(apiKey && { apiKey }) });
}

/** Takes over `~/.codex/auth.json` (read only): a ChatGPT sign-in, or an API key. */
export function importCodexLogin(options: { readonly home: string }): CredentialResult<ImportedLogin> {
  const file = path.join(options.home, '.codex', CODEX_AUTH_FILE);
  const json = readJsonFile(file, 'Codex auth file');
  if (!json.ok) return json;
  const parsed = parseCodexAuth(json.value, file);
  if (!parsed.ok) return parsed;
  const source = `imported from ${tildePath(file, options.home)}`;
  if (parsed.value.tokens) return credentialOk({ provider: 'openai', tokens: parsed.value.tokens, source });
  return credentialOk({ provider: 'openai', apiKey: parsed.value.apiKey, source });
}
