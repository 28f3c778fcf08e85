import type { Logger } from '../logging/logger.js';
import { AgentError, fail, ok, type Result } from './agent-errors.js';
import { AgentHost, type AgentHostOptions, type AgentInfo } from './agent-host.js';
import { BatchClock, DEFAULT_LAZY_INTERVAL_MS } from './output-batcher.js';
import { normalizeAgentSpec, type AgentSpecInput } from './agent-spec.js';
import { ListenerSet } from './listener-set.js';
import type { ExitInfo } from './pty-session.js';
import type { AgentStatus } from './status-detector.js';
import type { OutputChunk } from './terminal-mirror.js';

export type AgentEvent =
  | { readonly type: 'spawned'; readonly agent: AgentInfo }
  | { readonly type: 'status'; readonly name: string; readonly status: AgentStatus; readonly previous: AgentStatus; readonly reason: string | null }
  | { readonly type: 'exited'; readonly name: string; readonly exit: ExitInfo }
  | { readonly type: 'restarted'; readonly agent: AgentInfo }
  | { readonly type: 'removed'; readonly name: string };

export interface AgentManagerOptions extends Omit<AgentHostOptions, 'logger'> {
  readonly logger?: Logger;
  /** Folder for agents that name none. */
  readonly defaultCwd?: string;
}

function daemonEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  return env;
}

/** Every agent by name: spawn, list, kill, restart, remove, and one stream of what happens to them. */
export class AgentManager {
  private readonly agents = new Map<string, AgentHost>();
  private readonly events = new ListenerSet<AgentEvent>();
  private readonly outputs = new ListenerSet<{ name: string; chunk: OutputChunk }>();
  private readonly logger: Logger | undefined;
  /** Every agent's output batches on one timer, so output of agents in the same interval goes on together. */
  private readonly clock: BatchClock;
  /** And small redraws of agents nobody watches on a slower one (see AgentHost's lazy output). */
  private readonly lazyClock: BatchClock;

  constructor(private readonly options: AgentManagerOptions = {}) {
    this.logger = options.logger?.child('agents');
    this.clock = options.batch?.clock ?? new BatchClock(options.batch?.intervalMs);
    this.lazyClock = options.batch?.lazyClock ?? new BatchClock(options.batch?.lazyIntervalMs ?? DEFAULT_LAZY_INTERVAL_MS);
  }

  spawn(input: AgentSpecInput): Result<AgentInfo> {
    const spec = normalizeAgentSpec(input, this.options.defaultCwd);
    if (!spec.ok) return spec;
    if (this.agents.has(spec.value.name)) {
      return fail(
        new AgentError('agent_exists', `An agent named ${spec.value.name} already exists; pick another name or remove it first.`, {
          name: spec.value.name,
        }),
      );
    }
    const started = AgentHost.start(spec.value, {
      ...this.options,
      baseEnv: this.options.baseEnv ?? daemonEnv(),
      batch: { ...this.options.batch, clock: this.clock, lazyClock: this.lazyClock },
      ...(this.logger ? { logger: this.logger } : {}),
    });
    if (!started.ok) {
      this.logger?.warn('agent could not start', { name: spec.value.name, code: started.error.code, reason: started.error.message });
      return started;
    }
    const host = started.value;
    this.agents.set(host.name, host);
    host.onStatus(({ verdict, previous }) =>
      this.events.emit({ type: 'status', name: host.name, status: verdict.status, previous: previous.status, reason: verdict.reason ?? null }),
    );
    host.onExit((exit) => this.events.emit({ type: 'exited', name: host.name, exit }));
    host.onOutput((chunk) => this.outputs.emit({ name: host.name, chunk }));
    const info = host.info;
    this.events.emit({ type: 'spawned', agent: info });
    return ok(info);
  }

  list(): AgentInfo[] {
    return [...this.agents.values()].map((host) => host.info);
  }

  get(name: string): AgentHost | undefined {
    return this.agents.get(name);
  }

  has(name: string): boolean {
    return this.agents.has(name);
  }

  names(): string[] {
    return [...this.agents.keys()];
  }

  /** SIGTERM, then SIGKILL after the grace period; the agent stays listed with its exit. */
  async kill(name: string): Promise<Result<ExitInfo>> {
    const host = this.agents.get(name);
    if (!host) return fail(this.notFound(name));
    return ok(await host.kill());
  }

  async restart(name: string): Promise<Result<AgentInfo>> {
    const host = this.agents.get(name);
    if (!host) return fail(this.notFound(name));
    const result = await host.restart();
    if (result.ok) this.events.emit({ type: 'restarted', agent: result.value });
    return result;
  }

  /** Kills the agent if it runs and forgets it. */
  async remove(name: string): Promise<Result<void>> {
    const host = this.agents.get(name);
    if (!host) return fail(this.notFound(name));
    this.agents.delete(name);
    await host.dispose();
    this.events.emit({ type: 'removed', name });
    return ok(undefined);
  }

  /** Passes on every agent's gathered output now (before a read that must see all output so far). */
  flushOutput(): void {
    this.clock.flush();
    this.lazyClock.flush();
  }

  onEvent(listener: (event: AgentEvent) => void): () => void {
    return this.events.on(listener);
  }

  /** Every agent's output chunks, for the relay parser. */
  onOutput(listener: (output: { name: string; chunk: OutputChunk }) => void): () => void {
    return this.outputs.on(listener);
  }

  /** Stops every agent (daemon shutdown). */
  async dispose(): Promise<void> {
    const hosts = [...this.agents.values()];
    this.agents.clear();
    await Promise.all(hosts.map((host) => host.dispose()));
    this.events.clear();
    this.outputs.clear();
  }

  private notFound(name: string): AgentError {
    const known = this.names();
    return new AgentError(
      'agent_not_found',
      `There is no agent named ${name}.${known.length ? ` Agents: ${known.join(', ')}.` : ' No agents are running.'}`,
      { name, known },
    );
  }
}
