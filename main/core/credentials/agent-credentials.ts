import {
  compareAgentTokens,
  type AgentCredentials,
  type CliTokens,
  type CredentialResult,
  type ImportedLogin,
  type TokenChange,
} from './cli-credentials.js';
import { claudeAgentEnv, importClaudeLogin, readClaudeAgentCredentials, writeClaudeAgentCredentials, type ClaudeImportOptions } from './claude-credentials.js';
import { codexAgentEnv, importCodexLogin, readCodexAgentCredentials, writeCodexAgentCredentials } from './codex-credentials.js';
import { geminiAgentEnv, importGeminiLogin, readGeminiAgentCredentials, writeGeminiAgentCredentials } from './gemini-credentials.js';

export type FileCli = 'claude' | 'codex' | 'gemini';

/** One CLI that reads its login from files in a config home the app owns. */
export interface CliCredentialFormat {
  readonly cli: FileCli;
  /** The env that points the CLI at the config home. */
  agentEnv(configHome: string): Record<string, string>;
  /** Just before an agent starts: atomic, 0600. */
  writeAgentCredentials(configHome: string, tokens: CliTokens): CredentialResult<{ file: string }>;
  /** After or while it runs: what the CLI holds now. */
  readAgentCredentials(configHome: string): CredentialResult<AgentCredentials>;
  /** From the user's own files; `home` is injectable so tests never touch the real one. */
  importUserLogin(options: ClaudeImportOptions): CredentialResult<ImportedLogin>;
}

export const CLI_FORMATS: Readonly<Record<FileCli, CliCredentialFormat>> = {
  claude: {
    cli: 'claude',
    agentEnv: claudeAgentEnv,
    writeAgentCredentials: writeClaudeAgentCredentials,
    readAgentCredentials: readClaudeAgentCredentials,
    importUserLogin: importClaudeLogin,
  },
  codex: {
    cli: 'codex',
    agentEnv: codexAgentEnv,
    writeAgentCredentials: (home, tokens) => writeCodexAgentCredentials(home, tokens),
    readAgentCredentials: readCodexAgentCredentials,
    importUserLogin: importCodexLogin,
  },
  gemini: {
    cli: 'gemini',
    agentEnv: geminiAgentEnv,
    writeAgentCredentials: writeGeminiAgentCredentials,
    readAgentCredentials: readGeminiAgentCredentials,
    importUserLogin: importGeminiLogin,
  },
};

export type RotationCheck =
  | { readonly change: 'unchanged' }
  | { readonly change: Exclude<TokenChange, 'unchanged'>; readonly tokens: CliTokens }
  | { readonly change: 'unreadable'; readonly message: string };

/**
 * Compares what the agent's CLI holds with what the app gave it; on a change returns the CLI's
 * tokens for the app to adopt (vault.updateSecrets). A missing or broken file is reported, not
 * adopted.
 */
export function checkAgentRotation(cli: FileCli, configHome: string, given: CliTokens): RotationCheck {
  const read = CLI_FORMATS[cli].readAgentCredentials(configHome);
  if (!read.ok) return { change: 'unreadable', message: read.error.message };
  const change = compareAgentTokens(given, read.value.tokens);
  return change === 'unchanged' ? { change } : { change, tokens: read.value.tokens };
}
