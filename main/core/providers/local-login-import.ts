import path from 'node:path';
import type { AuthResult } from '../auth/auth-errors.js';
import type { Provider } from '../auth/provider-registry.js';
import type { TokenSet } from '../auth/token-set.js';
import type { CredentialResult, ImportedLogin } from '../credentials/cli-credentials.js';
import { importClaudeLogin } from '../credentials/claude-credentials.js';
import { importCodexLogin } from '../credentials/codex-credentials.js';
import { importCopilotLogin } from '../credentials/copilot-credentials.js';
import { importGeminiLogin } from '../credentials/gemini-credentials.js';

/** Where each local CLI keeps the login that "Import" takes over (read only). */
export const IMPORTERS: Readonly<Record<string, { file: (home: string) => string; run: (home: string) => CredentialResult<ImportedLogin> }>> = {
  anthropic: { file: (home) => path.join(home, '.claude', '.credentials.json'), run: (home) => importClaudeLogin({ home }) },
  openai: { file: (home) => path.join(home, '.codex', 'auth.json'), run: (home) => importCodexLogin({ home }) },
  google: { file: (home) => path.join(home, '.gemini', 'oauth_creds.json'), run: (home) => importGeminiLogin({ home }) },
  'github-copilot': {
    file: (home) => path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'github-copilot', 'apps.json'),
    run: (home) => importCopilotLogin({ home }),
  },
};

export interface ObtainedLogin {
  readonly tokens?: TokenSet;
  readonly apiKey?: string;
  /** "imported from ~/.codex/auth.json" */
  readonly source?: string;
  readonly plan?: string;
}

/** Takes over the login a local CLI keeps in the user's home (read only). */
export function importLocalLogin(provider: Provider, home: string): AuthResult<ObtainedLogin> {
  const importer = IMPORTERS[provider.id];
  if (!importer) return { ok: false, error: { code: 'method_not_supported', message: `There is no local CLI login to import for ${provider.name}.` } };
  const imported = importer.run(home);
  if (!imported.ok) return { ok: false, error: { code: 'not_signed_in', message: imported.error.message } };
  const { tokens, apiKey, source } = imported.value;
  if (!tokens && !apiKey) return { ok: false, error: { code: 'not_signed_in', message: `${source} holds no login.` } };
  return {
    ok: true,
    value: {
      source,
      ...(apiKey ? { apiKey } : {}),
      ...(tokens?.plan ? { plan: tokens.plan } : {}),
      ...(tokens
        ? {
            tokens: {
              accessToken: tokens.accessToken,
              ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
              ...(tokens.idToken ? { idToken: tokens.idToken } : {}),
              ...(tokens.expiresAt !== undefined ? { expiresAt: tokens.expiresAt } : {}),
              ...(tokens.scopes ? { scope: tokens.scopes.join(' ') } : {}),
              account: { ...(tokens.email ? { email: tokens.email } : {}), ...(tokens.accountId ? { subject: tokens.accountId } : {}) },
            },
          }
        : {}),
    },
  };
}
