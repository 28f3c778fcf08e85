import type { AgentInfo, RestorableAgent, SpawnRequest } from '../../../preload/contract.js';
import { BridgeError } from '../bridge/errors.js';
import type { Logger } from '../logging/logger.js';
import type { RelayHub } from '../relay/index.js';
import { readAgentRecord, resumeArgs, writeAgentRecord, type RecordedAgent } from './agent-record.js';

/** What the restore record needs of the agent network. */
export interface RestoreHost {
  readonly dataDir: string;
  readonly logger: Logger;
  readonly relay: Pick<RelayHub, 'failAbsentRecipients' | 'failQueuedFor'>;
  /** The agents the runtime has now, and whether each has exited. */
  agents(): ReadonlyArray<{ readonly name: string; readonly status: string }>;
  has(name: string): boolean;
  /** The agent's id, when it has one. */
  idOf(name: string): string | undefined;
  /** Whether a running agent has this id. */
  idInUse(id: string): boolean;
  /** Starts an agent again, keeping its id (so what was queued for it reaches it). */
  start(request: SpawnRequest, id: string | undefined): Promise<AgentInfo>;
}

/** How an agent was started, as agents.json keeps it: never its environment or login. */
export function recipeOf(request: SpawnRequest, started: { command: string; args: ReadonlyArray<string>; account: string | undefined; cwd: string }): RecordedAgent {
  return {
    name: request.name,
    provider: request.provider ?? null,
    account: started.account ?? null,
    skipPermissions: request.skipPermissions ?? false,
    command: request.provider ? null : started.command,
    args: request.provider ? [...(request.args ?? [])] : [...started.args],
    cwd: started.cwd,
    running: true,
  };
}

/**
 * The restore record: every agent as started, kept in agents.json, and after a reboot (no terminal host
 * kept them) the offer to start the ones that were running again, each with its command, folder, account
 * and id, resumed with its CLI's own option if asked.
 */
export class AgentRestore {
  /** How each agent was started (no environment, no login), for agents.json and a restart after a reboot. */
  private readonly recipes = new Map<string, RecordedAgent>();
  /** Agents recorded as running that no terminal host has any more (the computer restarted): offered again. */
  private offer: RecordedAgent[] = [];
  /** What agents.json holds as this daemon last wrote it, so an unchanged record is not written again. */
  private written: string | undefined;

  constructor(private readonly host: RestoreHost) {}

  /** An agent found running in the terminal host: its recipe from the meta kept there. */
  reattached(name: string, recipe: string | undefined): void {
    if (!recipe) return;
    try {
      this.recipes.set(name, JSON.parse(recipe) as RecordedAgent);
    } catch {
      // An older host's meta: no recipe, nothing to restore it from.
    }
  }

  /**
   * Messages are addressed to an agent: what was queued for one that did not survive the restart (no
   * terminal host, or it was removed meanwhile) can never reach it, so it fails now, visibly. One that
   * is offered to start again (after a reboot) keeps its id and its queue: started again, it is the
   * same agent resumed and gets what waited; not started again (the offer dismissed), that fails then.
   */
  offerAfterRestart(known: ReadonlySet<string>): void {
    this.offer = readAgentRecord(this.host.dataDir).filter((a) => a.running && !known.has(a.name));
    this.host.relay.failAbsentRecipients(undefined, new Set(this.offer.flatMap((a) => (a.id ? [a.id] : []))));
    if (this.offer.length) this.host.logger.info('agents recorded as running are gone (a restart?); offering to start them again', { names: this.offer.map((a) => a.name) });
  }

  /** An agent started: recorded as it was started, and no longer offered. */
  started(recipe: RecordedAgent): void {
    this.recipes.set(recipe.name, recipe);
    this.offer = this.offer.filter((a) => a.name !== recipe.name);
    this.save();
  }

  forget(name: string): void {
    this.recipes.delete(name);
  }

  /** agents.json: every agent as started, and whether it runs (plus those still offered after a restart). */
  save(): void {
    const live = this.host.agents().flatMap((info) => {
      const recipe = this.recipes.get(info.name);
      const id = this.host.idOf(info.name);
      return recipe ? [{ ...recipe, ...(id ? { id } : {}), running: info.status !== 'exited' }] : [];
    });
    const agents = [...live, ...this.offer.filter((a) => !this.host.has(a.name))];
    // Saved on every agent event, but only starts, exits and removals change it: a status change
    // (working, idle) must not cost a synchronous write and fsync on the event loop, in a flood too.
    const content = JSON.stringify(agents);
    if (content === this.written) return;
    try {
      writeAgentRecord(this.host.dataDir, agents);
      this.written = content;
    } catch (error) {
      this.host.logger.warn('could not write agents.json', { error: (error as Error).message });
    }
  }

  /** Agents that were running before the computer (or the terminal host) stopped, with how each resumes. */
  offered(): RestorableAgent[] {
    return this.offer.map((agent) => {
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
    const chosen = this.offer.filter((a) => names.includes(a.name));
    const unknown = names.filter((name) => !chosen.some((a) => a.name === name));
    if (unknown.length) throw new BridgeError('not_restorable', `Nothing to start again for ${unknown.join(', ')}.`);
    const started: AgentInfo[] = [];
    const failures: string[] = [];
    for (const agent of chosen) {
      const extra = resume ? resumeArgs(agent) : null;
      const args = [...(extra?.before ?? []), ...agent.args, ...(extra?.after ?? [])];
      // The same agent, resumed: its id again (unless a running agent has it), so its queue reaches it.
      const id = agent.id && !this.host.idInUse(agent.id) ? agent.id : undefined;
      try {
        started.push(
          await this.host.start(
            agent.provider
              ? { name: agent.name, provider: agent.provider, ...(agent.account ? { account: agent.account } : {}), skipPermissions: agent.skipPermissions, args, cwd: agent.cwd }
              : { name: agent.name, command: agent.command!, args, cwd: agent.cwd },
            id,
          ),
        );
      } catch (error) {
        failures.push(`${agent.name}: ${(error as Error).message}`);
      }
    }
    if (failures.length && started.length === 0) throw new BridgeError('restore_failed', `Could not start them again. ${failures.join(' ')}`);
    if (failures.length) this.host.logger.warn('some agents could not start again', { failures });
    return started;
  }

  /** Not now: forget the offer (agents.json keeps only the agents that run). */
  dismiss(): void {
    const dismissed = this.offer;
    this.offer = [];
    this.save();
    // Not started again: what waited for them can never arrive.
    for (const agent of dismissed) {
      if (!agent.id) continue;
      this.host.relay.failQueuedFor(agent.id, 'recipient_not_restored', (name) => `${name} was not started again after the restart, so this message was not delivered.`);
    }
  }

  /**
   * The agents were stopped on purpose (the daemon stops and takes them along): nothing of this daemon's
   * to offer after the next start. An offer not yet answered (say a CLI command ran its own daemon after
   * a reboot) stays for the app.
   */
  stoppedAll(): void {
    const stopped = [...this.recipes.values()].map((recipe) => ({ ...recipe, running: false }));
    try {
      writeAgentRecord(this.host.dataDir, [...stopped, ...this.offer.filter((a) => !this.recipes.has(a.name))]);
    } catch {
      // The data folder may be gone already.
    }
  }
}
