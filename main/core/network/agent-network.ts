import crypto from 'node:crypto';
import os from 'node:os';
import type { AgentInfo, HistoryPage, RelayMessage, RestorableAgent, SpawnRequest, TeamTemplate, TerminalSnapshot } from '../../../preload/contract.js';
import type { Connection } from '../bridge/connection.js';
import { BridgeError } from '../bridge/errors.js';
import { AgentError, type Result } from '../agents/agent-errors.js';
import type { AgentInfo as HostedAgentInfo } from '../agents/agent-host.js';
import type { AgentHandle, AgentRuntime, ScrollbackQuery, ScrollbackResult } from '../agents/agent-runtime.js';
import { ScrollbackIndex } from '../terminal-host/scrollback-index.js';
import { AgentManager } from '../agents/agent-manager.js';
import type { Logger } from '../logging/logger.js';
import { teamBriefing } from './teams.js';
import { attentionOf } from './attention.js';
import { readAgentRecord, resumeArgs, writeAgentRecord, type RecordedAgent } from './agent-record.js';
import type { Provider } from '../auth/provider-registry.js';
import type { CliTokens } from '../credentials/cli-credentials.js';
import {
  planProviderAgent,
  rewriteAgentLogin,
  rotatedTokens,
  toCliTokens,
  type AgentCredentialsInput,
  type CredentialBinding,
} from './agent-recipes.js';
import type { PromptProvider } from '../agents/prompt-patterns.js';
import { UsageLimitWatch, type UsageLimit } from './usage-limit.js';
import { carrySessions } from './agent-recipes.js';
import { isInteractiveShell, readForegroundProgram } from '../agents/foreground-program.js';

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

/**
 * Variables agents do not inherit from the daemon: the dashboard token, and provider secrets that
 * would override the login Agent Relay hands the agent (give one explicitly in the spawn's env).
 */
export const WITHHELD_ENV: ReadonlyArray<string> = [
  'AGENT_RELAY_TOKEN',
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_AUTH_TOKEN',
  'CLAUDE_CODE_OAUTH_TOKEN',
  'OPENAI_API_KEY',
  'GEMINI_API_KEY',
  'GOOGLE_API_KEY',
  'GOOGLE_CLOUD_ACCESS_TOKEN',
  'GH_TOKEN',
  'GITHUB_TOKEN',
  'COPILOT_GITHUB_TOKEN',
];

function agentBaseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !WITHHELD_ENV.includes(key)) env[key] = value;
  return env;
}

const PROMPT_STYLE: Readonly<Record<string, PromptProvider>> = { anthropic: 'claude', openai: 'codex', google: 'gemini' };
const ROTATION_CHECK_MS = 30_000;
/** How long acknowledgements of output the relay has read gather before they go to the terminal host (tests hold them back with AGENT_RELAY_RELAY_ACK_MS). */
const RELAY_ACK_DELAY_MS = Number(process.env.AGENT_RELAY_RELAY_ACK_MS) || 200;
import { RelayHub, TargetDirectory, type AgentRunState, type RelayMessage as LoggedMessage, type RelayTarget } from '../relay/index.js';
import { outputBytes, withOutputBytes } from '../bridge/output-bytes.js';

export interface AgentNetworkOptions {
  dataDir: string;
  logger: Logger;
  /** Lines of scrollback each new agent keeps (the setting, read at spawn). */
  scrollback: () => number;
  /** The setting: move an agent that hit a usage limit to another account without asking. */
  autoContinue?: () => boolean;
  defaultCwd?: string;
  credentials?: CredentialSource;
  /** Where the agents' ptys live: the terminal host client, or (default) this process. */
  runtime?: AgentRuntime;
  /** Announces changes to every UI. */
  onAgentsChanged: (agents: AgentInfo[]) => void;
  onRelayMessage: (message: RelayMessage) => void;
  /** Relay tuning, for benchmarks (e.g. maxBatch 1 = one message per injection, the old way). */
  relay?: { maxBatch?: number };
}

/** The bridge's plain (mutable, serialisable) shapes of the core's read-only records. */
const agentInfo = (info: HostedAgentInfo): Omit<AgentInfo, 'account' | 'stopRequested' | 'id' | 'acceptRelay' | 'shellPrompt'> => ({
  ...info,
  args: [...info.args],
});
const relayMessage = ({ recipientIds, ...m }: LoggedMessage): RelayMessage => ({
  ...m,
  recipients: [...m.recipients],
  ...(recipientIds ? { recipientIds: [...recipientIds] } : {}),
  deliveries: m.deliveries.map((d) => ({ ...d })),
});

const unwrap = <T>(result: Result<T>): T => {
  if (!result.ok) throw result.error;
  return result.value;
};

/**
 * The agents and the relay between them: each spawned agent is a relay target, its output feeds the
 * relay parser, and each UI connection can attach consoles to it. The bridge handlers call this.
 */
export class AgentNetwork {
  readonly manager: AgentRuntime;
  /** Scrollback search for a runtime that has none of its own (agents in this process). */
  private readonly index: ScrollbackIndex | undefined;
  readonly relay: RelayHub;
  private readonly directory = new TargetDirectory();
  /** connection id → agent name → detach */
  private readonly attachments = new Map<string, Map<string, { ack(chars: number): void; detach(): void }>>();
  private readonly unsubscribe: Array<() => void> = [];
  /** Provider agents: which account each runs with, and its login files when the CLI keeps them. */
  private readonly accounts = new Map<string, { provider: string; account: string; binding?: CredentialBinding }>();
  private readonly rotationTimer: NodeJS.Timeout;
  /** How each agent was started (no environment, no login), for agents.json and a restart after a reboot. */
  private readonly recipes = new Map<string, RecordedAgent>();
  /** Agents recorded as running that no terminal host has any more (the computer restarted): offered again. */
  private restorable: RecordedAgent[] = [];
  /** Agents someone asked to stop; cleared when they start again. */
  private readonly stopRequested = new Set<string>();
  /** Provider agents: what they were started with (to start them again on another account). */
  private readonly requests = new Map<string, SpawnRequest>();
  /** Provider agents: a watch on their output for usage limits, and the last one seen. */
  private readonly limitWatches = new Map<string, UsageLimitWatch>();
  private readonly limits = new Map<string, NonNullable<AgentInfo['usageLimit']>>();
  /** Provider agents: the config home they run in (for carrying conversations to another account). */
  private readonly homes = new Map<string, string>();
  /** Each agent's identity (kept over restarts) and whether it takes relay messages at a shell prompt. */
  private readonly identities = new Map<string, { id: string; acceptRelay: boolean }>();
  /** Per agent: the last chunk its relay has read to the end, told to the terminal host in a moment. */
  private readonly relayAcks = new Map<string, number>();
  private relayAckTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: AgentNetworkOptions) {
    const logger = options.logger;
    this.manager = options.runtime ?? new AgentManager({ logger, defaultCwd: options.defaultCwd ?? os.homedir(), baseEnv: agentBaseEnv() });
    this.relay = RelayHub.open({ dataDir: options.dataDir, directory: this.directory, logger, ...options.relay });
    const index = this.manager.search ? undefined : new ScrollbackIndex();
    this.index = index;
    if (index) this.unsubscribe.push(this.manager.onOutput(({ name, chunk }) => index.write(name, chunk.data)));
    // Agents that kept running in the terminal host while no daemon was there: relay targets again.
    for (const name of this.manager.names()) {
      const host = this.manager.get(name);
      if (!host) continue;
      const meta = this.manager.meta?.(name);
      if (meta?.recipe) {
        try {
          this.recipes.set(name, JSON.parse(meta.recipe) as RecordedAgent);
        } catch {
          // An older host's meta: no recipe, nothing to restore it from.
        }
      }
      if (meta?.provider && meta.account) {
        this.accounts.set(name, { provider: meta.provider, account: meta.account });
        if (meta.cli && meta.configHome) void this.rebind(name, meta.provider, meta.account, meta.cli as CredentialBinding['cli'], meta.configHome);
      }
      // The same agent as before the restart (its id), so what was queued for it still reaches it.
      if (meta?.agentId) this.identities.set(name, { id: meta.agentId, acceptRelay: meta.acceptRelay === 'true' });
      this.relay.resize(name, host.info.cols, host.info.rows);
      this.directory.add(relayTarget(host, this.identity(name)));
    }
    // What they printed that no relay read to the end (printed while no daemon ran, or not yet read when
    // the last one died): read now, once every agent is a recipient again. A line the last daemon
    // already routed is in the log with where it was read, and is not routed again.
    for (const name of this.manager.names()) {
      const backlog = this.manager.takeRelayBacklog?.(name);
      if (!backlog?.length) continue;
      options.logger.info('relay: reading output printed while no daemon read it', { name, chunks: backlog.length, from: backlog[0]!.seq, to: backlog[backlog.length - 1]!.seq });
      for (const chunk of backlog) this.ingest(name, chunk);
    }
    this.unsubscribe.push(
      this.manager.onOutput(({ name, chunk }) => {
        this.ingest(name, chunk);
        this.limitWatches.get(name)?.feed(chunk.data);
      }),
      this.manager.onEvent((event) => {
        if (event.type === 'restarted') this.relay.resetAgent(event.agent.name);
        if (event.type === 'removed') {
          // Messages still queued for it fail now, visibly; a later agent of that name is another agent.
          this.directory.remove(event.name);
          this.identities.delete(event.name);
          this.recipes.delete(event.name);
          this.index?.forget(event.name);
          for (const perConnection of this.attachments.values()) {
            perConnection.get(event.name)?.detach();
            perConnection.delete(event.name);
          }
        }
        if (event.type !== 'spawned') options.onAgentsChanged(this.list());
      }),
      this.relay.on((event) => options.onRelayMessage(relayMessage(event.message))),
      this.manager.onEvent((event) => {
        if (event.type === 'exited') void this.adoptRotation(event.name);
      }),
    );
    // Messages are addressed to an agent: what was queued for one that did not survive the restart (no
    // terminal host, or it was removed meanwhile) can never reach it, so it fails now, visibly. One that
    // is offered to start again (after a reboot) keeps its id and its queue: started again, it is the
    // same agent resumed and gets what waited; not started again (the offer dismissed), that fails then.
    const known = new Set(this.manager.names());
    this.restorable = readAgentRecord(options.dataDir).filter((a) => a.running && !known.has(a.name));
    this.relay.failAbsentRecipients(undefined, new Set(this.restorable.flatMap((a) => (a.id ? [a.id] : []))));
    if (this.restorable.length) options.logger.info('agents recorded as running are gone (a restart?); offering to start them again', { names: this.restorable.map((a) => a.name) });
    this.unsubscribe.push(this.manager.onEvent(() => this.saveRecord()));
    if (options.credentials) {
      this.unsubscribe.push(options.credentials.onTokensChanged((provider, accountId) => void this.pushLogin(provider, accountId)));
    }
    // A CLI may refresh its own login while it runs: notice, keep the rotated tokens, share them.
    this.rotationTimer = setInterval(() => {
      for (const name of this.accounts.keys()) void this.adoptRotation(name);
    }, ROTATION_CHECK_MS);
    this.rotationTimer.unref();
  }

  list(): AgentInfo[] {
    return this.manager.list().map((info) => this.describe(info));
  }

  /** One chunk of an agent's output into the relay, tagged with where it comes from when the runtime says. */
  private ingest(name: string, chunk: { seq: number; data: string }): void {
    const stream = this.manager.relayStream?.(name);
    this.relay.ingest(name, chunk.data, stream ? { stream: `${this.identity(name).id}/${stream}`, seq: chunk.seq } : undefined);
    // Read to the end (a whole line, nothing held): the runtime need not keep this output for a next daemon.
    if (!this.manager.relayAck || !chunk.data.endsWith('\n') || !this.relay.atRest(name)) return;
    this.relayAcks.set(name, chunk.seq);
    if (this.relayAckTimer) return;
    this.relayAckTimer = setTimeout(() => {
      this.relayAckTimer = undefined;
      // By now the log has what this output routed (written at once, flushed on the next tick).
      for (const [agent, seq] of this.relayAcks) this.manager.relayAck?.(agent, seq);
      this.relayAcks.clear();
    }, RELAY_ACK_DELAY_MS);
    this.relayAckTimer.unref();
  }

  private describe(info: HostedAgentInfo): AgentInfo {
    const bound = this.accounts.get(info.name);
    const identity = this.identity(info.name);
    const host = this.manager.get(info.name);
    const stopRequested = this.stopRequested.has(info.name);
    return {
      ...agentInfo(info),
      id: identity.id,
      provider: bound?.provider ?? null,
      account: bound?.account ?? null,
      stopRequested,
      ...(this.limits.has(info.name) ? { usageLimit: this.limits.get(info.name)! } : {}),
      attention: attentionOf({ ...info, stopRequested }),
      acceptRelay: identity.acceptRelay,
      shellPrompt: host ? atShellPrompt(host) : false,
    };
  }

  private identity(name: string): { id: string; acceptRelay: boolean } {
    let identity = this.identities.get(name);
    if (!identity) {
      identity = { id: newAgentId(), acceptRelay: false };
      this.identities.set(name, identity);
    }
    return identity;
  }

  /** "Accept relay messages" for one agent: injected even while a plain shell is its foreground program. */
  async setAcceptRelay(name: string, on: boolean): Promise<AgentInfo> {
    const host = this.host(name);
    this.identity(name).acceptRelay = on;
    this.options.logger.info('relay: accept relay messages changed', { name, on });
    // Kept where the pty lives, so a daemon that reattaches does not fall back to the spawn-time value.
    if (this.manager.updateMeta) {
      const saved = await this.manager.updateMeta(name, { acceptRelay: String(on) });
      if (!saved.ok) this.options.logger.warn('relay: could not keep accept-relay in the terminal host', { name, error: saved.error.message });
    }
    // Anything held back may go now (or, turned off, is refused at its next attempt).
    this.relay.router.pump();
    this.options.onAgentsChanged(this.list());
    return this.describe(host.info);
  }

  spawn(request: SpawnRequest, options: { resume?: boolean; keepLimit?: boolean } = {}): Promise<AgentInfo> {
    return this.start(request, options);
  }

  /** Starts an agent: a new one, or (`agentId`) one started again after a reboot, keeping its id. */
  private async start(request: SpawnRequest, options: { resume?: boolean; keepLimit?: boolean } = {}, agentId?: string): Promise<AgentInfo> {
    if (this.manager.has(request.name)) {
      throw new AgentError('agent_exists', `An agent named ${request.name} already exists; pick another name or remove it first.`, { name: request.name });
    }
    let command = request.command;
    let args = [...(request.args ?? [])];
    let env = { ...(request.env ?? {}) };
    let promptStyle: PromptProvider | undefined;
    let binding: CredentialBinding | undefined;
    let briefing: string | undefined;
    let account: string | undefined;
    if (request.provider) {
      const source = this.options.credentials;
      if (!source) throw new BridgeError('provider_not_connected', 'Provider agents need the provider connections, which this daemon does not have.');
      const provider = source.provider(request.provider);
      const credentials = await source.freshCredentials(provider.id, request.account);
      const plan = planProviderAgent({
        provider,
        credentials,
        name: request.name,
        dataDir: this.options.dataDir,
        skipPermissions: request.skipPermissions ?? false,
        extraArgs: args,
        peers: this.manager.names(),
        ...(options.resume ? { resume: true } : {}),
      });
      this.homes.set(request.name, plan.configHome);
      command = plan.command;
      args = plan.args;
      env = { ...plan.env, ...env };
      binding = plan.binding;
      briefing = plan.firstMessage;
      account = credentials.account.accountId;
      promptStyle = PROMPT_STYLE[provider.id];
    }
    if (!command) throw new AgentError('invalid_agent_spec', 'An agent needs a provider or a command to run.', { field: 'command' });
    // A new agent, even one that takes the name of an earlier one: a new identity.
    const identity = { id: agentId ?? newAgentId(), acceptRelay: request.acceptRelay ?? false };
    const recipe: RecordedAgent = {
      name: request.name,
      provider: request.provider ?? null,
      account: account ?? null,
      skipPermissions: request.skipPermissions ?? false,
      command: request.provider ? null : command,
      args: request.provider ? [...(request.args ?? [])] : args,
      cwd: request.cwd ?? this.options.defaultCwd ?? os.homedir(),
      running: true,
    };
    // Known before its first output arrives (the relay names the output stream after it).
    this.identities.set(request.name, identity);
    const spawned = await this.manager.spawn({
      name: request.name,
      command,
      args,
      ...(request.cwd ? { cwd: request.cwd } : {}),
      env,
      ...(request.cols ? { cols: request.cols } : {}),
      ...(request.rows ? { rows: request.rows } : {}),
      scrollback: this.options.scrollback(),
      ...(promptStyle ? { provider: promptStyle } : {}),
    }, {
      recipe: JSON.stringify(recipe),
      ...(request.provider && account ? { provider: request.provider, account, ...(binding ? { cli: binding.cli, configHome: binding.configHome } : {}) } : {}),
      // Kept where the pty lives, so a daemon that reattaches knows it is the same agent.
      agentId: identity.id,
      acceptRelay: String(identity.acceptRelay),
    });
    if (!spawned.ok && !this.manager.has(request.name)) this.identities.delete(request.name);
    const info = unwrap(spawned);
    this.stopRequested.delete(info.name);
    this.identities.set(info.name, identity);
    this.recipes.set(info.name, { ...recipe, cwd: info.cwd });
    this.restorable = this.restorable.filter((a) => a.name !== info.name);
    this.saveRecord();
    if (request.provider && account) {
      this.accounts.set(info.name, { provider: request.provider, account, ...(binding ? { binding } : {}) });
      this.requests.set(info.name, { ...request, account });
      this.limitWatches.set(info.name, new UsageLimitWatch((limit) => void this.usageLimitHit(info.name, limit)));
    } else {
      this.accounts.delete(info.name);
      this.requests.delete(info.name);
      this.limitWatches.delete(info.name);
    }
    if (!options.keepLimit) this.limits.delete(info.name);
    const host = this.host(info.name);
    this.relay.resize(info.name, info.cols, info.rows);
    if (this.directory.get(info.name)) this.directory.remove(info.name);
    this.directory.add(relayTarget(host, this.identity(info.name)));
    // The first task waits in the agent's queue until it is idle, like any other message.
    const first = [briefing, request.task].filter(Boolean).join('\n\n');
    if (first) this.relay.sendFromHuman(info.name, first);
    const described = this.describe(info);
    this.options.onAgentsChanged(this.list());
    return described;
  }

  /**
   * An agent found running in the terminal host: its login files are watched again, measured against
   * the account's tokens in the vault (so a rotation the CLI made while no daemon ran is adopted).
   */
  private async rebind(name: string, provider: string, account: string, cli: CredentialBinding['cli'], configHome: string): Promise<void> {
    const source = this.options.credentials;
    if (!source) return;
    try {
      const fresh = await source.freshCredentials(provider, account);
      if (!fresh.tokens) return;
      const bound = this.accounts.get(name);
      if (!bound || bound.provider !== provider) return;
      bound.binding = { provider, accountId: account, cli, configHome, given: toCliTokens(fresh.tokens, fresh.account) };
      await this.adoptRotation(name);
    } catch (error) {
      this.options.logger.warn('could not watch the login of an agent found running', { name, error: (error as Error).message });
    }
  }

  /** Keeps tokens an agent's CLI rotated by itself, and hands them to the other agents of that account. */
  private async adoptRotation(name: string): Promise<void> {
    const bound = this.accounts.get(name);
    const source = this.options.credentials;
    if (bound && !bound.binding && source?.adoptCliLogin) {
      await source.adoptCliLogin(bound.provider, bound.account).catch((error: Error) => this.options.logger.warn('could not keep the login a CLI rotated', { name, error: error.message }));
      return;
    }
    if (!bound?.binding || !source) return;
    const rotated = rotatedTokens(bound.binding);
    if (!rotated) return;
    bound.binding.given = rotated;
    try {
      await source.adoptRotated(bound.provider, bound.account, rotated);
    } catch (error) {
      this.options.logger.warn('could not keep tokens an agent refreshed', { name, error: (error as Error).message });
    }
  }

  /** The account's login changed (the app refreshed it, or an agent rotated it): rewrite every agent's copy. */
  private async pushLogin(provider: string, accountId: string): Promise<void> {
    const source = this.options.credentials;
    const bound = [...this.accounts.values()].filter((b) => b.provider === provider && b.account === accountId && b.binding);
    if (!source || bound.length === 0) return;
    try {
      const fresh = await source.freshCredentials(provider, accountId);
      if (!fresh.tokens) return;
      const tokens = toCliTokens(fresh.tokens, fresh.account);
      for (const b of bound) {
        if (b.binding!.given.refreshToken !== tokens.refreshToken || b.binding!.given.accessToken !== tokens.accessToken) rewriteAgentLogin(b.binding!, tokens);
      }
    } catch (error) {
      this.options.logger.warn('could not hand a refreshed login to agents', { provider, error: (error as Error).message });
    }
  }

  /** An agent's CLI printed a usage or rate limit: the agent and its account say so; maybe move on. */
  private async usageLimitHit(name: string, limit: UsageLimit): Promise<void> {
    const bound = this.accounts.get(name);
    const source = this.options.credentials;
    if (!bound || !source) return;
    const at = Date.now();
    const accounts = (await source.accountsOf?.(bound.provider)) ?? [];
    const alternatives = accounts
      .filter((a) => a.accountId !== bound.account && a.state === 'connected' && !(a.usageLimit && (a.usageLimit.resetsAt ?? a.usageLimit.at + 3600_000) > at))
      .map((a) => a.accountId);
    this.limits.set(name, { message: limit.message, at, ...(limit.resetText ? { resetText: limit.resetText } : {}), ...(limit.resetsAt !== undefined ? { resetsAt: limit.resetsAt } : {}), alternatives });
    this.options.logger.info('agent hit a usage limit', { name, provider: bound.provider, resetsAt: limit.resetsAt });
    await source.reportUsageLimit?.(bound.provider, bound.account, { message: limit.message, at, ...(limit.resetText ? { resetText: limit.resetText } : {}), ...(limit.resetsAt !== undefined ? { resetsAt: limit.resetsAt } : {}) });
    this.options.onAgentsChanged(this.list());
    const next = alternatives[0];
    if (next && this.options.autoContinue?.()) {
      await this.continueOn(name, next).catch((error: Error) => this.options.logger.warn('could not continue on another account', { name, error: error.message }));
    }
  }

  /**
   * Starts a provider agent again on another account of the same provider, with the CLI's resume
   * option (its conversations carried to that account's home). Never silent: the agent's notice
   * says where it came from.
   */
  async continueOn(name: string, account: string): Promise<AgentInfo> {
    const request = this.requests.get(name);
    const bound = this.accounts.get(name);
    if (!request || !bound) throw new AgentError('invalid_agent_spec', `${name} is not a provider agent: start it again yourself.`, { name });
    if (account === bound.account) throw new BridgeError('same_account', `${name} already runs on ${account}.`);
    const from = bound.account;
    const fromHome = this.homes.get(name);
    const previous = this.limits.get(name);
    this.stopRequested.add(name);
    await this.adoptRotation(name);
    unwrap(await this.manager.remove(name));
    this.accounts.delete(name);
    const moved = { ...request, account, task: undefined } as SpawnRequest;
    delete (moved as { task?: string }).task;
    let info: AgentInfo;
    try {
      // Conversations live in the config home: the new account's home gets a copy to resume from.
      const source = this.options.credentials!;
      const provider = source.provider(request.provider!);
      const target = await source.freshCredentials(provider.id, account);
      if (fromHome && target.cliHome) carrySessions(provider, fromHome, target.cliHome);
      if (previous) this.limits.set(name, { ...previous, alternatives: previous.alternatives.filter((a) => a !== account), movedFrom: from });
      info = await this.spawn(moved, { resume: true, keepLimit: true });
    } finally {
      this.stopRequested.delete(name);
    }
    this.options.onAgentsChanged(this.list());
    return info;
  }

  /** Starts every member of a team; refuses before starting any when a name is taken. */
  async startTeam(
    team: TeamTemplate,
    options: { cwd: string; command?: string; args?: string[]; provider?: string; account?: string; skipPermissions?: boolean },
  ): Promise<AgentInfo[]> {
    const taken = team.members.filter((m) => this.manager.has(m.name)).map((m) => m.name);
    if (taken.length) {
      throw new AgentError('agent_exists', `Agents named ${taken.join(', ')} already exist; remove them before starting the ${team.name} team.`, {
        names: taken,
      });
    }
    const started: AgentInfo[] = [];
    for (const member of team.members) {
      const runs = member.command
        ? { command: member.command, args: member.args ?? [] }
        : options.provider
          ? { provider: options.provider, ...(options.account ? { account: options.account } : {}), skipPermissions: options.skipPermissions ?? false, args: options.args ?? [] }
          : { command: options.command!, args: options.args ?? [] };
      started.push(await this.spawn({ name: member.name, ...runs, cwd: options.cwd, task: teamBriefing(team, member) }));
    }
    return started;
  }

  async kill(name: string): Promise<AgentInfo> {
    this.host(name);
    this.stopRequested.add(name);
    unwrap(await this.manager.kill(name));
    return this.describe(this.host(name).info);
  }

  async restart(name: string): Promise<AgentInfo> {
    // A restart starts from the freshest login the account has.
    await this.adoptRotation(name);
    const bound = this.accounts.get(name);
    if (bound?.binding) await this.pushLogin(bound.provider, bound.account);
    this.stopRequested.add(name);
    try {
      return this.describe(unwrap(await this.manager.restart(name)));
    } finally {
      this.stopRequested.delete(name);
    }
  }

  async remove(name: string): Promise<void> {
    this.stopRequested.add(name);
    await this.adoptRotation(name);
    unwrap(await this.manager.remove(name));
    this.accounts.delete(name);
    this.requests.delete(name);
    this.limitWatches.delete(name);
    this.limits.delete(name);
    this.homes.delete(name);
    this.stopRequested.delete(name);
  }

  /** Attaches `connection` to an agent's terminal; output then flows to it as `terminal.output`. */
  async attach(name: string, connection: Connection): Promise<TerminalSnapshot> {
    const host = this.host(name);
    let perConnection = this.attachments.get(connection.id);
    if (!perConnection) {
      perConnection = new Map();
      this.attachments.set(connection.id, perConnection);
      connection.onClose(() => {
        for (const attachment of perConnection!.values()) attachment.detach();
        this.attachments.delete(connection.id);
      });
    }
    perConnection.get(name)?.detach();
    const attachment = await host.attach({
      data: (chunk) => connection.send('terminal.output', withOutputBytes({ name, seq: chunk.seq, data: chunk.data }, outputBytes(chunk))),
    });
    perConnection.set(name, attachment);
    // The live stream starts after the reply carrying the snapshot has gone out on this connection.
    setImmediate(() => attachment.start());
    const { seq, cols, rows, data } = attachment.snapshot;
    return { seq, cols, rows, data };
  }

  detach(name: string, connection: Connection): void {
    const perConnection = this.attachments.get(connection.id);
    perConnection?.get(name)?.detach();
    perConnection?.delete(name);
  }

  ack(name: string, chars: number, connection: Connection): void {
    this.attachments.get(connection.id)?.get(name)?.ack(chars);
  }

  input(name: string, data: string): void {
    if (!this.host(name).input(data)) {
      throw new AgentError('agent_not_running', `${name} is not running; restart it to type into it.`, { name });
    }
  }

  resize(name: string, cols: number, rows: number): void {
    unwrap(this.host(name).resize(cols, rows));
    this.relay.resize(name, cols, rows);
  }

  screen(name: string): Promise<string[]> {
    return this.host(name).screenText();
  }

  send(to: string, body: string): RelayMessage {
    const result = this.relay.sendFromHuman(to, body);
    if (!result.ok) throw new BridgeError(result.error.code, result.error.message);
    return relayMessage(result.message);
  }

  read(id: string): RelayMessage {
    const message = this.relay.get(id);
    if (!message) throw new BridgeError('message_not_found', `There is no message with id ${id}.`);
    return relayMessage(message);
  }

  history(query: { agent?: string; thread?: string; before?: string; limit?: number }): HistoryPage {
    const page = this.relay.history(query);
    return { items: page.items.map(relayMessage), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }

  /** agents.json: every agent as started, and whether it runs (plus those still offered after a restart). */
  private saveRecord(): void {
    const live = this.manager.list().flatMap((info) => {
      const recipe = this.recipes.get(info.name);
      const id = this.identities.get(info.name)?.id;
      return recipe ? [{ ...recipe, ...(id ? { id } : {}), running: info.status !== 'exited' }] : [];
    });
    try {
      writeAgentRecord(this.options.dataDir, [...live, ...this.restorable.filter((a) => !this.manager.has(a.name))]);
    } catch (error) {
      this.options.logger.warn('could not write agents.json', { error: (error as Error).message });
    }
  }

  /** Agents that were running before the computer (or the terminal host) stopped, with how each resumes. */
  restorableAgents(): RestorableAgent[] {
    return this.restorable.map((agent) => {
      const resume = resumeArgs(agent);
      return {
        name: agent.name,
        provider: agent.provider,
        account: agent.account,
        skipPermissions: agent.skipPermissions,
        command: agent.command,
        args: [...agent.args],
        cwd: agent.cwd,
        resumeArgs: resume ? [...resume.before, ...resume.after] : null,
      };
    });
  }

  /** Starts them again, each with its command, folder and account, and the CLI's resume option if asked. */
  async restore(names: ReadonlyArray<string>, resume: boolean): Promise<AgentInfo[]> {
    const chosen = this.restorable.filter((a) => names.includes(a.name));
    const unknown = names.filter((name) => !chosen.some((a) => a.name === name));
    if (unknown.length) throw new BridgeError('not_restorable', `Nothing to start again for ${unknown.join(', ')}.`);
    const started: AgentInfo[] = [];
    const failures: string[] = [];
    for (const agent of chosen) {
      const extra = resume ? resumeArgs(agent) : null;
      const args = [...(extra?.before ?? []), ...agent.args, ...(extra?.after ?? [])];
      // The same agent, resumed: its id again (unless a running agent has it), so its queue reaches it.
      const id = agent.id && ![...this.identities.values()].some((identity) => identity.id === agent.id) ? agent.id : undefined;
      try {
        started.push(
          await this.start(
            agent.provider
              ? { name: agent.name, provider: agent.provider, ...(agent.account ? { account: agent.account } : {}), skipPermissions: agent.skipPermissions, args, cwd: agent.cwd }
              : { name: agent.name, command: agent.command!, args, cwd: agent.cwd },
            {},
            id,
          ),
        );
      } catch (error) {
        failures.push(`${agent.name}: ${(error as Error).message}`);
      }
    }
    if (failures.length && started.length === 0) throw new BridgeError('restore_failed', `Could not start them again. ${failures.join(' ')}`);
    if (failures.length) this.options.logger.warn('some agents could not start again', { failures });
    return started;
  }

  /** Not now: forget the offer (agents.json keeps only the agents that run). */
  dismissRestore(): void {
    const dismissed = this.restorable;
    this.restorable = [];
    this.saveRecord();
    // Not started again: what waited for them can never arrive.
    for (const agent of dismissed) {
      if (!agent.id) continue;
      this.relay.failQueuedFor(agent.id, 'recipient_not_restored', (name) => `${name} was not started again after the restart, so this message was not delivered.`);
    }
  }

  /** Every agent's scrollback, searched where it is kept (the terminal host, or here). */
  async search(query: ScrollbackQuery): Promise<ScrollbackResult> {
    if (query.agent) this.host(query.agent);
    if (this.manager.search) return this.manager.search(query);
    return this.index!.search(query, this.manager.names());
  }

  /** Stops the daemon's side; the agents stop too unless keepAgents and a terminal host keeps them. */
  async close(options: { keepAgents?: boolean } = {}): Promise<void> {
    clearInterval(this.rotationTimer);
    if (this.relayAckTimer) clearTimeout(this.relayAckTimer);
    for (const off of this.unsubscribe.splice(0)) off();
    for (const perConnection of this.attachments.values()) for (const attachment of perConnection.values()) attachment.detach();
    this.attachments.clear();
    if (options.keepAgents && this.manager.release) await this.manager.release();
    else {
      // Stopped on purpose: nothing of this daemon's to offer after the next start. An offer not yet
      // answered (say a CLI command ran its own daemon after a reboot) stays for the app.
      await this.manager.dispose();
      const stopped = [...this.recipes.values()].map((recipe) => ({ ...recipe, running: false }));
      try {
        writeAgentRecord(this.options.dataDir, [...stopped, ...this.restorable.filter((a) => !this.recipes.has(a.name))]);
      } catch {
        // The data folder may be gone already.
      }
    }
    this.relay.close();
  }

  private host(name: string): AgentHandle {
    const host = this.manager.get(name);
    if (host) return host;
    const known = this.manager.names();
    throw new AgentError('agent_not_found', `There is no agent named ${name}.${known.length ? ` Agents: ${known.join(', ')}.` : ' No agents are running.'}`, {
      name,
    });
  }
}

function newAgentId(): string {
  return `a-${crypto.randomUUID()}`;
}

/** A plain shell (bash, zsh, PowerShell, cmd…) is at its prompt in the agent's terminal. */
function atShellPrompt(host: AgentHandle): boolean {
  if (host.foregroundProgram) {
    const program = host.foregroundProgram();
    return program !== null && isInteractiveShell(program);
  }
  // A pty in another process (the terminal host): its foreground group is readable by pid (Linux).
  const { pid, command, args } = host.info;
  if (pid === null) return false;
  return isInteractiveShell(readForegroundProgram({ pid, ptyProcess: () => undefined, command, args }));
}

/** The relay's view of one hosted agent. */
function relayTarget(host: AgentHandle, identity: { readonly id: string; readonly acceptRelay: boolean }): RelayTarget {
  return {
    name: host.name,
    id: identity.id,
    isShellPrompt: () => atShellPrompt(host),
    acceptsRelay: () => identity.acceptRelay,
    state: (): AgentRunState => host.currentStatus,
    lastHumanInputAt: () => host.lastHumanInputAt,
    write: (data) => {
      if (!host.inject(data)) throw new Error(`${host.name} is not running`);
    },
    onChange: (listener) => {
      const offStatus = host.onStatus(() => listener());
      const offExit = host.onExit(() => listener());
      return () => {
        offStatus();
        offExit();
      };
    },
  };
}
