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
import { RelayHub, TargetDirectory, type AgentRunState, type RelayMessage as LoggedMessage, type RelayTarget } from '../relay/index.js';
import { outputBytes, withOutputBytes } from '../bridge/output-bytes.js';
import { teamBriefing } from './teams.js';
import { attentionOf } from './attention.js';
import type { PromptProvider } from '../agents/prompt-patterns.js';
import { isInteractiveShell, readForegroundProgram } from '../agents/foreground-program.js';
import type { CredentialBinding } from './agent-recipes.js';
import { AgentRestore, recipeOf } from './agent-restore.js';
import { CredentialBindings, type CredentialSource } from './credential-bindings.js';
import { UsageLimitFailover } from './usage-limit-failover.js';

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

/** How long acknowledgements of output the relay has read gather before they go to the terminal host (tests hold them back with AGENT_RELAY_RELAY_ACK_MS). */
const RELAY_ACK_DELAY_MS = Number(process.env.AGENT_RELAY_RELAY_ACK_MS) || 200;

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
  private readonly bindings: CredentialBindings;
  /** agents.json, and the offer to start the team again after a reboot. */
  private readonly restoreRecord: AgentRestore;
  /** Usage limits the agents hit, and "Continue on <account>". */
  private readonly failover: UsageLimitFailover;
  /** Agents someone asked to stop; cleared when they start again. */
  private readonly stopRequested = new Set<string>();
  /** Each agent's identity (kept over restarts) and whether it takes relay messages at a shell prompt. */
  private readonly identities = new Map<string, { id: string; acceptRelay: boolean }>();
  /**
   * Per agent: the last chunk its relay has read to the end, told to the terminal host in a moment; with
   * the line under way when that chunk ended mid-line.
   */
  private readonly relayAcks = new Map<string, { seq: number; line: string | undefined }>();
  private relayAckTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: AgentNetworkOptions) {
    const logger = options.logger;
    this.manager = options.runtime ?? new AgentManager({ logger, defaultCwd: options.defaultCwd ?? os.homedir(), baseEnv: agentBaseEnv() });
    this.relay = RelayHub.open({ dataDir: options.dataDir, directory: this.directory, logger, ...options.relay });
    const index = this.manager.search ? undefined : new ScrollbackIndex();
    this.index = index;
    this.bindings = new CredentialBindings(options.credentials, logger);
    this.restoreRecord = new AgentRestore({
      dataDir: options.dataDir,
      logger,
      relay: this.relay,
      agents: () => this.manager.list(),
      has: (name) => this.manager.has(name),
      idOf: (name) => this.identities.get(name)?.id,
      idInUse: (id) => [...this.identities.values()].some((identity) => identity.id === id),
      start: (request, id) => this.start(request, {}, id),
    });
    this.failover = new UsageLimitFailover({
      credentials: options.credentials,
      logger,
      ...(options.autoContinue ? { autoContinue: options.autoContinue } : {}),
      accountOf: (name) => this.bindings.get(name),
      takeDown: (name) => this.takeDown(name),
      startAgain: (request) => this.spawn(request, { resume: true, keepLimit: true }),
      moveEnded: (name) => this.stopRequested.delete(name),
      changed: () => options.onAgentsChanged(this.list()),
    });
    if (index) this.unsubscribe.push(this.manager.onOutput(({ name, chunk }) => index.write(name, chunk.data)));
    // Agents that kept running in the terminal host while no daemon was there: relay targets again.
    for (const name of this.manager.names()) {
      const host = this.manager.get(name);
      if (!host) continue;
      const meta = this.manager.meta?.(name);
      this.restoreRecord.reattached(name, meta?.recipe);
      if (meta) this.bindings.reattached(name, meta);
      // The same agent as before the restart (its id), so what was queued for it still reaches it.
      if (meta?.agentId) this.identities.set(name, { id: meta.agentId, acceptRelay: meta.acceptRelay === 'true' });
      this.relay.resize(name, host.info.cols, host.info.rows);
      this.directory.add(relayTarget(host, this.identity(name)));
    }
    // What they printed that no relay read to the end (printed while no daemon ran, or not yet read when
    // the last one died): read now, once every agent is a recipient again. A line the last daemon
    // already routed is in the log with where it was read, and is not routed again.
    for (const name of this.manager.names()) {
      // The last daemon let go of output mid-line: what follows is the rest of that line, not a line of its own.
      const line = this.manager.takeRelayLine?.(name);
      if (line !== undefined) this.relay.resumeLine(name, line);
      const backlog = this.manager.takeRelayBacklog?.(name);
      if (!backlog?.length) continue;
      options.logger.info('relay: reading output printed while no daemon read it', { name, chunks: backlog.length, from: backlog[0]!.seq, to: backlog[backlog.length - 1]!.seq });
      for (const chunk of backlog) this.ingest(name, chunk);
    }
    this.unsubscribe.push(
      this.manager.onOutput(({ name, chunk }) => {
        this.ingest(name, chunk);
        this.failover.feed(name, chunk.data);
      }),
      this.manager.onEvent((event) => {
        if (event.type === 'restarted') {
          this.relay.resetAgent(event.agent.name);
          // Not sent yet: that line was the old process's, the new one starts on a fresh screen.
          const ack = this.relayAcks.get(event.agent.name);
          if (ack) ack.line = undefined;
        }
        if (event.type === 'removed') {
          // Messages still queued for it fail now, visibly; a later agent of that name is another agent.
          this.directory.remove(event.name);
          this.identities.delete(event.name);
          this.restoreRecord.forget(event.name);
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
        if (event.type === 'exited') void this.bindings.adoptRotation(event.name);
      }),
    );
    this.restoreRecord.offerAfterRestart(new Set(this.manager.names()));
    this.unsubscribe.push(this.manager.onEvent(() => this.restoreRecord.save()));
  }

  list(): AgentInfo[] {
    return this.manager.list().map((info) => this.describe(info));
  }

  /** One chunk of an agent's output into the relay, tagged with where it comes from when the runtime says. */
  private ingest(name: string, chunk: { seq: number; data: string }): void {
    const stream = this.manager.relayStream?.(name);
    this.relay.ingest(name, chunk.data, stream ? { stream: `${this.identity(name).id}/${stream}`, seq: chunk.seq } : undefined);
    // Read to the end (nothing held, and the line under way cannot become a relay line's start): the
    // runtime need not keep this output for a next daemon, which, mid-line, starts from the line under way.
    if (!this.manager.relayAck) return;
    const point = this.relay.resumePoint(name);
    if (!point) return;
    const ack = this.relayAcks.get(name);
    if (ack) {
      ack.seq = chunk.seq;
      ack.line = point.line;
    } else {
      this.relayAcks.set(name, { seq: chunk.seq, line: point.line });
    }
    if (this.relayAckTimer) return;
    this.relayAckTimer = setTimeout(() => {
      this.relayAckTimer = undefined;
      // By now the log has what this output routed (written at once, flushed on the next tick).
      for (const [agent, { seq, line }] of this.relayAcks) this.manager.relayAck?.(agent, seq, line);
      this.relayAcks.clear();
    }, RELAY_ACK_DELAY_MS);
    this.relayAckTimer.unref();
  }

  private describe(info: HostedAgentInfo): AgentInfo {
    const bound = this.bindings.get(info.name);
    const identity = this.identity(info.name);
    const host = this.manager.get(info.name);
    const stopRequested = this.stopRequested.has(info.name);
    const usageLimit = this.failover.limitOf(info.name);
    return {
      ...agentInfo(info),
      id: identity.id,
      provider: bound?.provider ?? null,
      account: bound?.account ?? null,
      stopRequested,
      ...(usageLimit ? { usageLimit } : {}),
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
    let configHome: string | undefined;
    if (request.provider) {
      const launch = await this.bindings.launch({ ...request, provider: request.provider }, { dataDir: this.options.dataDir, peers: this.manager.names(), ...(options.resume ? { resume: true } : {}) });
      ({ command, args, binding, configHome } = launch.plan);
      env = { ...launch.plan.env, ...env };
      briefing = launch.plan.firstMessage;
      account = launch.account;
      promptStyle = launch.promptStyle;
    }
    if (!command) throw new AgentError('invalid_agent_spec', 'An agent needs a provider or a command to run.', { field: 'command' });
    // A new agent, even one that takes the name of an earlier one: a new identity.
    const identity = { id: agentId ?? newAgentId(), acceptRelay: request.acceptRelay ?? false };
    const recipe = recipeOf(request, { command, args, account, cwd: request.cwd ?? this.options.defaultCwd ?? os.homedir() });
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
    this.restoreRecord.started({ ...recipe, cwd: info.cwd });
    const provider = request.provider && account ? { provider: request.provider, account } : undefined;
    if (provider) this.bindings.set(info.name, { ...provider, ...(binding ? { binding } : {}) });
    else this.bindings.delete(info.name);
    this.failover.started(info.name, provider && configHome ? { request: { ...request, account: provider.account }, configHome } : undefined, options.keepLimit ?? false);
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

  /** "Continue on <account>": starts a provider agent again on another account of its provider. */
  continueOn(name: string, account: string): Promise<AgentInfo> {
    return this.failover.continueOn(name, account);
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
    await this.bindings.refresh(name);
    this.stopRequested.add(name);
    try {
      return this.describe(unwrap(await this.manager.restart(name)));
    } finally {
      this.stopRequested.delete(name);
    }
  }

  async remove(name: string): Promise<void> {
    await this.takeDown(name);
    this.failover.forget(name);
    this.stopRequested.delete(name);
  }

  /** Stops and removes an agent, asked for (so it reads as stopped on purpose), keeping what its CLI rotated. */
  private async takeDown(name: string): Promise<void> {
    this.stopRequested.add(name);
    await this.bindings.adoptRotation(name);
    unwrap(await this.manager.remove(name));
    this.bindings.delete(name);
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

  /** Agents that were running before the computer (or the terminal host) stopped, with how each resumes. */
  restorableAgents(): RestorableAgent[] {
    return this.restoreRecord.offered();
  }

  /** Starts them again, each with its command, folder and account, and the CLI's resume option if asked. */
  restore(names: ReadonlyArray<string>, resume: boolean): Promise<AgentInfo[]> {
    return this.restoreRecord.restore(names, resume);
  }

  /** Not now: forget the offer (agents.json keeps only the agents that run). */
  dismissRestore(): void {
    this.restoreRecord.dismiss();
  }

  /** Every agent's scrollback, searched where it is kept (the terminal host, or here). */
  async search(query: ScrollbackQuery): Promise<ScrollbackResult> {
    if (query.agent) this.host(query.agent);
    if (this.manager.search) return this.manager.search(query);
    return this.index!.search(query, this.manager.names());
  }

  /** Stops the daemon's side; the agents stop too unless keepAgents and a terminal host keeps them. */
  async close(options: { keepAgents?: boolean } = {}): Promise<void> {
    this.bindings.close();
    if (this.relayAckTimer) clearTimeout(this.relayAckTimer);
    for (const off of this.unsubscribe.splice(0)) off();
    for (const perConnection of this.attachments.values()) for (const attachment of perConnection.values()) attachment.detach();
    this.attachments.clear();
    if (options.keepAgents && this.manager.release) await this.manager.release();
    else {
      await this.manager.dispose();
      this.restoreRecord.stoppedAll();
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
