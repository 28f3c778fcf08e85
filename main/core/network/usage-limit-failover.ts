import type { AgentInfo, SpawnRequest } from '../../../preload/contract.js';
import { AgentError } from '../agents/agent-errors.js';
import { BridgeError } from '../bridge/errors.js';
import type { Logger } from '../logging/logger.js';
import { carrySessions } from './agent-recipes.js';
import type { CredentialSource } from './credential-bindings.js';
import { UsageLimitWatch, type UsageLimit } from './usage-limit.js';

export type AgentUsageLimit = NonNullable<AgentInfo['usageLimit']>;

/** What the failover needs of the agent network to move an agent to another account. */
export interface FailoverHost {
  readonly credentials: CredentialSource | undefined;
  readonly logger: Logger;
  /** The setting: move an agent that hit a usage limit to another account without asking. */
  readonly autoContinue?: () => boolean;
  /** Which account a provider agent runs with. */
  accountOf(name: string): { provider: string; account: string } | undefined;
  /** Stops and removes the agent to start it elsewhere (its stop asked until `moveEnded`, its CLI's login kept). */
  takeDown(name: string): Promise<void>;
  /** Starts the moved agent with its CLI's resume option, keeping its limit notice. */
  startAgain(request: SpawnRequest): Promise<AgentInfo>;
  moveEnded(name: string): void;
  /** What an agent's card shows changed. */
  changed(): void;
}

/**
 * Usage-limit failover: watches each provider agent's output for a usage or rate limit, says so on the
 * agent and its account, lists the provider's other accounts that can take over, and starts the agent
 * again on one of them ("Continue on <account>"), by hand or, with the setting on, by itself.
 */
export class UsageLimitFailover {
  /** Provider agents: what they were started with (to start them again on another account). */
  private readonly requests = new Map<string, SpawnRequest>();
  /** Provider agents: a watch on their output for usage limits, and the last one seen. */
  private readonly watches = new Map<string, UsageLimitWatch>();
  private readonly limits = new Map<string, AgentUsageLimit>();
  /** Provider agents: the config home they run in (for carrying conversations to another account). */
  private readonly homes = new Map<string, string>();

  constructor(private readonly host: FailoverHost) {}

  /** A provider agent started (with its account's request and config home), or another agent took the name. */
  started(name: string, provider: { request: SpawnRequest; configHome: string } | undefined, keepLimit: boolean): void {
    if (provider) {
      this.homes.set(name, provider.configHome);
      this.requests.set(name, provider.request);
      this.watches.set(name, new UsageLimitWatch((limit) => void this.limitHit(name, limit)));
    } else {
      this.requests.delete(name);
      this.watches.delete(name);
    }
    if (!keepLimit) this.limits.delete(name);
  }

  feed(name: string, data: string): void {
    this.watches.get(name)?.feed(data);
  }

  limitOf(name: string): AgentUsageLimit | undefined {
    return this.limits.get(name);
  }

  forget(name: string): void {
    this.requests.delete(name);
    this.watches.delete(name);
    this.limits.delete(name);
    this.homes.delete(name);
  }

  /** An agent's CLI printed a usage or rate limit: the agent and its account say so; maybe move on. */
  private async limitHit(name: string, limit: UsageLimit): Promise<void> {
    const bound = this.host.accountOf(name);
    const source = this.host.credentials;
    if (!bound || !source) return;
    const at = Date.now();
    const accounts = (await source.accountsOf?.(bound.provider)) ?? [];
    const alternatives = accounts
      .filter((a) => a.accountId !== bound.account && a.state === 'connected' && !(a.usageLimit && (a.usageLimit.resetsAt ?? a.usageLimit.at + 3600_000) > at))
      .map((a) => a.accountId);
    const notice = { message: limit.message, at, ...(limit.resetText ? { resetText: limit.resetText } : {}), ...(limit.resetsAt !== undefined ? { resetsAt: limit.resetsAt } : {}) };
    this.limits.set(name, { ...notice, alternatives });
    this.host.logger.info('agent hit a usage limit', { name, provider: bound.provider, resetsAt: limit.resetsAt });
    await source.reportUsageLimit?.(bound.provider, bound.account, notice);
    this.host.changed();
    const next = alternatives[0];
    if (next && this.host.autoContinue?.()) {
      await this.continueOn(name, next).catch((error: Error) => this.host.logger.warn('could not continue on another account', { name, error: error.message }));
    }
  }

  /**
   * Starts a provider agent again on another account of the same provider, with the CLI's resume
   * option (its conversations carried to that account's home). Never silent: the agent's notice
   * says where it came from.
   */
  async continueOn(name: string, account: string): Promise<AgentInfo> {
    const request = this.requests.get(name);
    const bound = this.host.accountOf(name);
    if (!request || !bound) throw new AgentError('invalid_agent_spec', `${name} is not a provider agent: start it again yourself.`, { name });
    if (account === bound.account) throw new BridgeError('same_account', `${name} already runs on ${account}.`);
    const from = bound.account;
    const fromHome = this.homes.get(name);
    const previous = this.limits.get(name);
    await this.host.takeDown(name);
    let info: AgentInfo;
    try {
      const { task: _task, ...moved } = { ...request, account };
      // Conversations live in the config home: the new account's home gets a copy to resume from.
      const source = this.host.credentials!;
      const provider = source.provider(request.provider!);
      const target = await source.freshCredentials(provider.id, account);
      if (fromHome && target.cliHome) carrySessions(provider, fromHome, target.cliHome);
      if (previous) this.limits.set(name, { ...previous, alternatives: previous.alternatives.filter((a) => a !== account), movedFrom: from });
      info = await this.host.startAgain(moved);
    } finally {
      this.host.moveEnded(name);
    }
    this.host.changed();
    return info;
  }
}
