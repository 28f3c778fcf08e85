import os from 'node:os';
import type { AgentInfo, HistoryPage, RelayMessage, SpawnRequest, TeamTemplate, TerminalSnapshot } from '../../preload/contract.js';
import type { Connection } from './bridge/connection.js';
import { BridgeError } from './bridge/errors.js';
import { AgentError, type Result } from './agents/agent-errors.js';
import type { AgentHost, AgentInfo as HostedAgentInfo } from './agents/agent-host.js';
import { AgentManager } from './agents/agent-manager.js';
import type { Logger } from './logging/logger.js';
import { teamBriefing } from './teams.js';
import { RelayHub, TargetDirectory, type AgentRunState, type RelayMessage as LoggedMessage, type RelayTarget } from './relay/index.js';

export interface AgentNetworkOptions {
  dataDir: string;
  logger: Logger;
  /** Lines of scrollback each new agent keeps (the setting, read at spawn). */
  scrollback: () => number;
  defaultCwd?: string;
  /** Announces changes to every UI. */
  onAgentsChanged: (agents: AgentInfo[]) => void;
  onRelayMessage: (message: RelayMessage) => void;
}

/** The bridge's plain (mutable, serialisable) shapes of the core's read-only records. */
const agentInfo = (info: HostedAgentInfo): AgentInfo => ({ ...info, args: [...info.args] });
const relayMessage = (m: LoggedMessage): RelayMessage => ({
  ...m,
  recipients: [...m.recipients],
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
  readonly manager: AgentManager;
  readonly relay: RelayHub;
  private readonly directory = new TargetDirectory();
  /** connection id → agent name → detach */
  private readonly attachments = new Map<string, Map<string, { ack(chars: number): void; detach(): void }>>();
  private readonly unsubscribe: Array<() => void> = [];

  constructor(private readonly options: AgentNetworkOptions) {
    const logger = options.logger;
    this.manager = new AgentManager({ logger, defaultCwd: options.defaultCwd ?? os.homedir() });
    this.relay = RelayHub.open({ dataDir: options.dataDir, directory: this.directory, logger });
    this.unsubscribe.push(
      this.manager.onOutput(({ name, chunk }) => this.relay.ingest(name, chunk.data)),
      this.manager.onEvent((event) => {
        if (event.type === 'restarted') this.relay.resetAgent(event.agent.name);
        if (event.type === 'removed') {
          this.directory.remove(event.name);
          for (const perConnection of this.attachments.values()) {
            perConnection.get(event.name)?.detach();
            perConnection.delete(event.name);
          }
        }
        options.onAgentsChanged(this.list());
      }),
      this.relay.on((event) => options.onRelayMessage(relayMessage(event.message))),
    );
  }

  list(): AgentInfo[] {
    return this.manager.list().map(agentInfo);
  }

  spawn(request: SpawnRequest): AgentInfo {
    const info = unwrap(
      this.manager.spawn({
        name: request.name,
        command: request.command,
        args: request.args ?? [],
        ...(request.cwd ? { cwd: request.cwd } : {}),
        env: request.env ?? {},
        ...(request.cols ? { cols: request.cols } : {}),
        ...(request.rows ? { rows: request.rows } : {}),
        scrollback: this.options.scrollback(),
      }),
    );
    const host = this.host(info.name);
    this.relay.resize(info.name, info.cols, info.rows);
    if (this.directory.get(info.name)) this.directory.remove(info.name);
    this.directory.add(relayTarget(host));
    // The first task waits in the agent's queue until it is idle, like any other message.
    if (request.task) this.relay.sendFromHuman(info.name, request.task);
    return agentInfo(info);
  }

  /** Starts every member of a team; refuses before starting any when a name is taken. */
  startTeam(team: TeamTemplate, options: { cwd: string; command: string; args?: string[] }): AgentInfo[] {
    const taken = team.members.filter((m) => this.manager.has(m.name)).map((m) => m.name);
    if (taken.length) {
      throw new AgentError('agent_exists', `Agents named ${taken.join(', ')} already exist; remove them before starting the ${team.name} team.`, {
        names: taken,
      });
    }
    const started: AgentInfo[] = [];
    for (const member of team.members) {
      started.push(
        this.spawn({
          name: member.name,
          command: member.command ?? options.command,
          args: member.args ?? options.args ?? [],
          cwd: options.cwd,
          task: teamBriefing(team, member),
        }),
      );
    }
    return started;
  }

  async kill(name: string): Promise<AgentInfo> {
    unwrap(await this.manager.kill(name));
    return agentInfo(this.host(name).info);
  }

  async restart(name: string): Promise<AgentInfo> {
    return agentInfo(unwrap(await this.manager.restart(name)));
  }

  async remove(name: string): Promise<void> {
    unwrap(await this.manager.remove(name));
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
      data: (chunk) => connection.send('terminal.output', { name, seq: chunk.seq, data: chunk.data }),
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

  async close(): Promise<void> {
    for (const off of this.unsubscribe.splice(0)) off();
    for (const perConnection of this.attachments.values()) for (const attachment of perConnection.values()) attachment.detach();
    this.attachments.clear();
    await this.manager.dispose();
    this.relay.close();
  }

  private host(name: string): AgentHost {
    const host = this.manager.get(name);
    if (host) return host;
    const known = this.manager.names();
    throw new AgentError('agent_not_found', `There is no agent named ${name}.${known.length ? ` Agents: ${known.join(', ')}.` : ' No agents are running.'}`, {
      name,
    });
  }
}

/** The relay's view of one hosted agent. */
function relayTarget(host: AgentHost): RelayTarget {
  return {
    name: host.name,
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
