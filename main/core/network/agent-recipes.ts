import fs from 'node:fs';
import path from 'node:path';
import type { AccountView } from '../../../preload/contract.js';
import type { Provider } from '../auth/provider-registry.js';
import type { TokenSet } from '../auth/token-set.js';
import { BridgeError } from '../bridge/errors.js';
import { writeFileAtomic } from '../base/atomic-file.js';
import { CLI_FORMATS, checkAgentRotation, type FileCli } from '../credentials/agent-credentials.js';
import type { CliTokens } from '../credentials/cli-credentials.js';
import { codexAccountFromIdToken } from '../credentials/codex-credentials.js';
import { copilotAgentEnv } from '../credentials/copilot-credentials.js';

/** The CLIs whose login the app writes into an isolated config home, by provider. */
const FILE_CLIS: Readonly<Record<string, FileCli>> = { anthropic: 'claude', openai: 'codex', google: 'gemini' };

/** Environment variables a CLI reads an API key from, by provider. */
const API_KEY_ENV: Readonly<Record<string, string>> = {
  anthropic: 'ANTHROPIC_API_KEY',
  openai: 'OPENAI_API_KEY',
  google: 'GEMINI_API_KEY',
  qwen: 'OPENAI_API_KEY',
};

export interface AgentCredentialsInput {
  account: AccountView;
  tokens?: TokenSet;
  apiKey?: string;
  /**
   * The account's own config home, where its CLI keeps the login it made (Claude, Gemini): every
   * agent of the account runs with it, so the CLI's own refresh lock serves them all.
   */
  cliHome?: string;
  /** A long-lived token `claude setup-token` made, handed only to Claude Code. */
  oauthToken?: string;
  meta: Readonly<Record<string, string>>;
}

/** How one provider agent is started, and what is needed later to keep its login in step. */
export interface ProviderAgentPlan {
  command: string;
  args: string[];
  env: Record<string, string>;
  /** The agent's own config home under the data dir; never the user's ~/.claude, ~/.codex, ~/.gemini. */
  configHome: string;
  /** Set when the CLI keeps an OAuth login in files the app wrote (and may rotate). */
  binding?: CredentialBinding;
  /** Said to the agent as its first message when its CLI has no better way to take instructions. */
  firstMessage?: string;
}

export interface CredentialBinding {
  provider: string;
  accountId: string;
  cli: FileCli;
  configHome: string;
  /** What the app last wrote, to tell the CLI's own refresh from ours. */
  given: CliTokens;
}

export const agentHome = (dataDir: string, name: string): string => path.join(dataDir, 'agents', name);

/** How agents talk to each other, in the words an agent reads. */
export function relayBriefing(name: string, peers: ReadonlyArray<string>): string {
  return [
    `You are ${name}, one of several AI agents run side by side by Agent Relay.`,
    peers.length ? `The other agents right now: ${peers.join(', ')}.` : 'No other agents are running yet; more may join.',
    'To send another agent a message, print a line of its own: ->relay:Name your message   (->relay:* reaches every agent).',
    'For several lines: ->relay:Name <<<   then the lines, then >>> on a line of its own.',
    'Messages to you arrive as "Relay message from Name [id]: …"; answer the same way.',
  ].join('\n');
}

export function toCliTokens(tokens: TokenSet, account: AccountView): CliTokens {
  const fromIdToken = tokens.idToken ? codexAccountFromIdToken(tokens.idToken) : {};
  return {
    accessToken: tokens.accessToken,
    ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
    ...(tokens.idToken ? { idToken: tokens.idToken } : {}),
    ...(tokens.expiresAt !== undefined ? { expiresAt: tokens.expiresAt } : {}),
    ...(tokens.scope ? { scopes: tokens.scope.split(' ').filter(Boolean) } : {}),
    ...(account.plan ?? fromIdToken.plan ? { plan: account.plan ?? fromIdToken.plan } : {}),
    ...(account.email ?? fromIdToken.email ? { email: account.email ?? fromIdToken.email } : {}),
    ...(fromIdToken.accountId ? { accountId: fromIdToken.accountId } : {}),
    lastRefresh: Date.now(),
  };
}

/**
 * Prepares a provider's CLI to run as agent `name`: its own config home with the account's login in
 * that CLI's format (written just before the start), the permission flag if asked, and the relay
 * briefing in the way the CLI takes instructions.
 */
export function planProviderAgent(options: {
  provider: Provider;
  credentials: AgentCredentialsInput;
  name: string;
  dataDir: string;
  skipPermissions: boolean;
  extraArgs: ReadonlyArray<string>;
  peers: ReadonlyArray<string>;
  /** Continue the CLI's last conversation (the agent moved to another account). */
  resume?: boolean;
}): ProviderAgentPlan {
  const { provider, credentials, name } = options;
  const cli = provider.cli;
  if (!cli) {
    throw new BridgeError('no_cli', `${provider.name} has no command-line agent to start; spawn a command that uses it instead.`);
  }
  // One home per account when the CLI keeps the login; otherwise the agent's own.
  const configHome = credentials.cliHome ?? agentHome(options.dataDir, name);
  fs.mkdirSync(configHome, { recursive: true, mode: 0o700 });
  const briefing = relayBriefing(name, options.peers);
  const args: string[] = options.resume && cli.resumeArgs ? [...cli.resumeArgs] : [];
  if (options.skipPermissions && cli.skipPermissionsFlag) args.push(cli.skipPermissionsFlag);
  let env: Record<string, string> = cli.configHomeEnv ? { [cli.configHomeEnv]: configHome } : {};
  let binding: CredentialBinding | undefined;
  let firstMessage: string | undefined = briefing;

  const fileCli = FILE_CLIS[provider.id];
  if (fileCli) env = { ...env, ...CLI_FORMATS[fileCli].agentEnv(configHome) };
  if (credentials.cliHome) {
    // The CLI signed in itself and refreshes its own login in this home: the app writes nothing.
    if (credentials.oauthToken && fileCli === 'claude') env.CLAUDE_CODE_OAUTH_TOKEN = credentials.oauthToken;
  } else if (credentials.tokens && fileCli) {
    const given = toCliTokens(credentials.tokens, credentials.account);
    const written = CLI_FORMATS[fileCli].writeAgentCredentials(configHome, given);
    if (!written.ok) throw new BridgeError('credentials_not_written', written.error.message);
    binding = { provider: provider.id, accountId: credentials.account.accountId, cli: fileCli, configHome, given };
  } else if (credentials.tokens && provider.id === 'github-copilot') {
    env = { ...env, ...copilotAgentEnv(credentials.tokens.accessToken) };
  } else if (credentials.apiKey && API_KEY_ENV[provider.id]) {
    env[API_KEY_ENV[provider.id]!] = credentials.apiKey;
  } else if (credentials.tokens) {
    throw new BridgeError('no_cli', `Agent Relay does not know how to hand a ${provider.name} login to ${cli.command}.`);
  }

  // Each CLI's own place for standing instructions; the others get the briefing as a first message.
  if (fileCli === 'claude') {
    args.push('--append-system-prompt', briefing);
    firstMessage = undefined;
  } else if (fileCli === 'codex' && credentials.cliHome) {
    // The account's home is shared by its agents: an AGENTS.md there would brief them all as one name.
  } else if (fileCli === 'codex') {
    writeFileAtomic(path.join(configHome, 'AGENTS.md'), `${briefing}\n`, 0o600);
    firstMessage = undefined;
  } else if (fileCli === 'gemini' && credentials.cliHome) {
    // The home is shared by the account's agents: a GEMINI.md there would brief them all as one name.
    env.GEMINI_CLI_TRUST_WORKSPACE = 'true';
  } else if (fileCli === 'gemini') {
    writeFileAtomic(path.join(configHome, '.gemini', 'GEMINI.md'), `${briefing}\n`, 0o600);
    // The user chose the working folder for this agent: Gemini CLI would otherwise refuse it.
    env.GEMINI_CLI_TRUST_WORKSPACE = 'true';
    firstMessage = undefined;
  }
  args.push(...options.extraArgs);
  return { command: cli.command, args, env, configHome, ...(binding ? { binding } : {}), ...(firstMessage ? { firstMessage } : {}) };
}

/** What the CLI holds now, if it refreshed on its own since the app last wrote its login. */
export function rotatedTokens(binding: CredentialBinding): CliTokens | undefined {
  const check = checkAgentRotation(binding.cli, binding.configHome, binding.given);
  return check.change === 'access_token' || check.change === 'refresh_token' ? check.tokens : undefined;
}

/** Writes a fresher login (refreshed by the app, or rotated by another agent) into an agent's home. */
export function rewriteAgentLogin(binding: CredentialBinding, tokens: CliTokens): void {
  const written = CLI_FORMATS[binding.cli].writeAgentCredentials(binding.configHome, tokens);
  if (written.ok) binding.given = tokens;
}

/**
 * Carries the CLI's conversations from one config home to another (an agent moving to another
 * account), so its resume option finds them. Copies only what the target lacks; never deletes.
 */
export function carrySessions(provider: Provider, from: string, to: string): number {
  const dir = provider.cli?.sessionsDir;
  if (!dir || path.resolve(from) === path.resolve(to)) return 0;
  const source = path.join(from, dir);
  if (!fs.existsSync(source)) return 0;
  let copied = 0;
  for (const entry of fs.readdirSync(source, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const target = path.join(to, dir, path.relative(source, file));
    if (fs.existsSync(target)) continue;
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
    fs.copyFileSync(file, target);
    fs.chmodSync(target, 0o600);
    copied++;
  }
  return copied;
}
