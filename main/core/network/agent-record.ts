import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../base/atomic-file.js';

/**
 * `agents.json` in the data folder: the team as last seen (each agent's command, folder and
 * account, never its environment or login) and whether it was running. After a reboot, when the
 * terminal host is gone, the agents recorded as running are what the app offers to start again.
 */
export interface RecordedAgent {
  readonly name: string;
  /** The agent's id: started again after a reboot it keeps it (the same agent, resumed), so what was queued for it arrives. */
  readonly id?: string;
  /** A provider's CLI with one of its accounts… */
  readonly provider: string | null;
  readonly account: string | null;
  readonly skipPermissions: boolean;
  /** …or this command; for a provider agent, the extra arguments given after its CLI's own. */
  readonly command: string | null;
  readonly args: ReadonlyArray<string>;
  readonly cwd: string;
  readonly running: boolean;
}

export const RECORD_FILE = 'agents.json';

export function readAgentRecord(dataDir: string): RecordedAgent[] {
  try {
    const parsed = JSON.parse(fs.readFileSync(path.join(dataDir, RECORD_FILE), 'utf8')) as { agents?: unknown };
    if (!Array.isArray(parsed.agents)) return [];
    return parsed.agents.filter(
      (a): a is RecordedAgent =>
        !!a &&
        typeof a === 'object' &&
        typeof (a as RecordedAgent).name === 'string' &&
        typeof (a as RecordedAgent).cwd === 'string' &&
        Array.isArray((a as RecordedAgent).args) &&
        (typeof (a as RecordedAgent).command === 'string' || typeof (a as RecordedAgent).provider === 'string') &&
        ((a as RecordedAgent).id === undefined || typeof (a as RecordedAgent).id === 'string'),
    );
  } catch {
    return [];
  }
}

export function writeAgentRecord(dataDir: string, agents: ReadonlyArray<RecordedAgent>): void {
  // A data folder removed meanwhile (tests, a user cleaning up) is not made again for this.
  if (!fs.existsSync(dataDir)) return;
  writeFileAtomic(path.join(dataDir, RECORD_FILE), JSON.stringify({ savedAt: new Date().toISOString(), agents }, undefined, 2));
}

/** Which CLI an agent runs, from its provider or its command's name. */
export function cliOf(agent: Pick<RecordedAgent, 'provider' | 'command'>): 'claude' | 'codex' | 'gemini' | null {
  if (agent.provider === 'anthropic') return 'claude';
  if (agent.provider === 'openai') return 'codex';
  if (agent.provider === 'google') return 'gemini';
  const base = agent.command ? (agent.command.split(/[\\/]/).pop() ?? '').replace(/\.(exe|cmd|js|mjs)$/i, '') : '';
  return base === 'claude' || base === 'codex' || base === 'gemini' ? base : null;
}

/**
 * The CLI's own way to pick up its last conversation in that folder: `claude --continue`,
 * `codex resume --last`, `gemini --resume latest`; none for other commands.
 */
export function resumeArgs(agent: Pick<RecordedAgent, 'provider' | 'command'>): { before: string[]; after: string[] } | null {
  switch (cliOf(agent)) {
    case 'claude':
      return { before: [], after: ['--continue'] };
    case 'codex':
      // A subcommand: it comes first.
      return { before: ['resume', '--last'], after: [] };
    case 'gemini':
      return { before: [], after: ['--resume', 'latest'] };
    default:
      return null;
  }
}
