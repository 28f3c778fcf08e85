import type { SpawnRequest } from '../../../preload/contract.js';
import type { Provider } from '../auth/provider-registry.js';
import { BridgeError } from '../bridge/errors.js';
import type { CliTokens } from '../credentials/cli-credentials.js';
import type { Logger } from '../logging/logger.js';
import type { PromptProvider } from '../agents/prompt-patterns.js';
import type { AgentMeta } from '../agents/agent-runtime.js';
import {
  planProviderAgent,
  rewriteAgentLogin,
  rotatedTokens,
  toCliTokens,
  type AgentCredentialsInput,
  type CredentialBinding,
  type ProviderAgentPlan,
} from './agent-recipes.js';

/** Where provider agents get their logins: the provider connections (the refresh owner). */
export interface CredentialSource {
  provider(id: string): Provider;
  freshCredentials(provider: string, accountId?: string): Promise<AgentCredentialsInput>;
  adoptRotated(provider: string, accountId: string, tokens: CliTokens): Promise<void>;
  /** Takes back what a CLI that signs in itself rotated in the account's home (Claude, Gemini). */
  adoptCliLogin?(provider: string, accountId: string): Promise<boolean>;
  /** The provider's accounts (for "Continue on <other account>"). */
  accountsOf?(provider: string): Promise<ReadonlyArray<{ accountId: string; name: string; state: string; usageLimit?: { resetsAt?: number; at: number } }>>;
  /** Says on the account's card that one of its agents hit a usage limit. */
  reportUsageLimit?(provider: string, accountId: string, notice: { message: string; at: number; resetText?: string; resetsAt?: number } | undefined): Promise<void>;
  onTokensChanged(listener: (provider: string, accountId: string) => void): () => void;
}

/** Which account a provider agent runs with, and its login files when the app wrote them. */
export interface BoundAgent {
  readonly provider: string;
  readonly account: string;
  binding?: CredentialBinding;
}

/** A provider agent ready to start: its command line and environment, and the account it got. */
export interface ProviderLaunch {
  readonly plan: ProviderAgentPlan;
  readonly account: string;
  readonly promptStyle: PromptProvider | undefined;
}

const PROMPT_STYLE: Readonly<Record<string, PromptProvider>> = { anthropic: 'claude', openai: 'codex', google: 'gemini' };
const ROTATION_CHECK_MS = 30_000;

/**
 * Which account's credentials each provider agent gets, and keeping them in step: what an agent's CLI
 * rotated by itself is kept and handed to the other agents of that account, and a login the app
 * refreshed is written into every agent's copy.
 */
export class CredentialBindings {
  private readonly bound = new Map<string, BoundAgent>();
  private readonly rotationTimer: NodeJS.Timeout;
  private readonly offTokens: (() => void) | undefined;

  constructor(
    readonly source: CredentialSource | undefined,
    private readonly logger: Logger,
  ) {
    this.offTokens = source?.onTokensChanged((provider, accountId) => void this.pushLogin(provider, accountId));
    // A CLI may refresh its own login while it runs: notice, keep the rotated tokens, share them.
    this.rotationTimer = setInterval(() => {
      for (const name of this.bound.keys()) void this.adoptRotation(name);
    }, ROTATION_CHECK_MS);
    this.rotationTimer.unref();
  }

  get(name: string): BoundAgent | undefined {
    return this.bound.get(name);
  }

  set(name: string, bound: BoundAgent): void {
    this.bound.set(name, bound);
  }

  delete(name: string): void {
    this.bound.delete(name);
  }

  /** The account's freshest login, prepared for the provider's CLI to run as agent `request.name`. */
  async launch(request: SpawnRequest & { provider: string }, options: { dataDir: string; peers: ReadonlyArray<string>; resume?: boolean }): Promise<ProviderLaunch> {
    const source = this.source;
    if (!source) throw new BridgeError('provider_not_connected', 'Provider agents need the provider connections, which this daemon does not have.');
    const provider = source.provider(request.provider);
    const credentials = await source.freshCredentials(provider.id, request.account);
    const plan = planProviderAgent({
      provider,
      credentials,
      name: request.name,
      dataDir: options.dataDir,
      skipPermissions: request.skipPermissions ?? false,
      extraArgs: [...(request.args ?? [])],
      peers: options.peers,
      ...(options.resume ? { resume: true } : {}),
    });
    return { plan, account: credentials.account.accountId, promptStyle: PROMPT_STYLE[provider.id] };
  }

  /**
   * An agent found running in the terminal host, whose meta there names its account: bound again, its
   * login files watched again and measured against the account's tokens in the vault (so a rotation
   * the CLI made while no daemon ran is adopted).
   */
  reattached(name: string, meta: AgentMeta): void {
    if (!meta.provider || !meta.account) return;
    this.bound.set(name, { provider: meta.provider, account: meta.account });
    if (meta.cli && meta.configHome) void this.rebind(name, meta.provider, meta.account, meta.cli as CredentialBinding['cli'], meta.configHome);
  }

  private async rebind(name: string, provider: string, account: string, cli: CredentialBinding['cli'], configHome: string): Promise<void> {
    const source = this.source;
    if (!source) return;
    try {
      const fresh = await source.freshCredentials(provider, account);
      if (!fresh.tokens) return;
      const bound = this.bound.get(name);
      if (!bound || bound.provider !== provider) return;
      bound.binding = { provider, accountId: account, cli, configHome, given: toCliTokens(fresh.tokens, fresh.account) };
      await this.adoptRotation(name);
    } catch (error) {
      this.logger.warn('could not watch the login of an agent found running', { name, error: (error as Error).message });
    }
  }

  /** Keeps tokens an agent's CLI rotated by itself, and hands them to the other agents of that account. */
  async adoptRotation(name: string): Promise<void> {
    const bound = this.bound.get(name);
    const source = this.source;
    if (bound && !bound.binding && source?.adoptCliLogin) {
      await source.adoptCliLogin(bound.provider, bound.account).catch((error: Error) => this.logger.warn('could not keep the login a CLI rotated', { name, error: error.message }));
      return;
    }
    if (!bound?.binding || !source) return;
    const rotated = rotatedTokens(bound.binding);
    if (!rotated) return;
    bound.binding.given = rotated;
    try {
      await source.adoptRotated(bound.provider, bound.account, rotated);
    } catch (error) {
      this.logger.warn('could not keep tokens an agent refreshed', { name, error: (error as Error).message });
    }
  }

  /** Before a restart: the freshest login the account has, in the agent's copy. */
  async refresh(name: string): Promise<void> {
    await this.adoptRotation(name);
    const bound = this.bound.get(name);
    if (bound?.binding) await this.pushLogin(bound.provider, bound.account);
  }

  /** The account's login changed (the app refreshed it, or an agent rotated it): rewrite every agent's copy. */
  private async pushLogin(provider: string, accountId: string): Promise<void> {
    const source = this.source;
    const bound = [...this.bound.values()].filter((b) => b.provider === provider && b.account === accountId && b.binding);
    if (!source || bound.length === 0) return;
    try {
      const fresh = await source.freshCredentials(provider, accountId);
      if (!fresh.tokens) return;
      const tokens = toCliTokens(fresh.tokens, fresh.account);
      for (const b of bound) {
        if (b.binding!.given.refreshToken !== tokens.refreshToken || b.binding!.given.accessToken !== tokens.accessToken) rewriteAgentLogin(b.binding!, tokens);
      }
    } catch (error) {
      this.logger.warn('could not hand a refreshed login to agents', { provider, error: (error as Error).message });
    }
  }

  close(): void {
    clearInterval(this.rotationTimer);
    this.offTokens?.();
  }
}
