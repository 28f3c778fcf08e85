import type { AgentInfo, SpawnRequest } from '../../../preload/contract';
import { AGENT_NAME } from '../routes';
import type { CliProviderChoice } from './provider-clis';
import { checkRuns, EMPTY_RUNS, type RunsCheck, type RunsDraft } from './runs-form';

export interface SpawnDraft {
  readonly name: string;
  readonly runs: RunsDraft;
  readonly cwd: string;
  readonly task: string;
  readonly env: string;
}

export const EMPTY_DRAFT: SpawnDraft = { name: '', runs: EMPTY_RUNS, cwd: '', task: '', env: '' };

/** Why a name cannot be used, or undefined when it can. */
export function nameProblem(name: string, agents: ReadonlyArray<AgentInfo>): string | undefined {
  if (name === '') return 'Give the agent a name.';
  if (name.length > 32) return 'Use at most 32 characters.';
  if (!AGENT_NAME.test(name)) return 'Use only letters, digits, "-" and "_".';
  if (agents.some((agent) => agent.name === name)) return `An agent named ${name} already exists.`;
  return undefined;
}

export type ParsedEnv = { readonly ok: true; readonly env: Readonly<Record<string, string>> } | { readonly ok: false; readonly error: string };

/** KEY=VALUE lines; blank lines and lines starting with # are skipped. */
export function parseEnvLines(text: string): ParsedEnv {
  const env: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const key = eq < 0 ? line : line.slice(0, eq);
    if (eq < 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      return { ok: false, error: `Line ${index + 1}: write KEY=VALUE, where KEY is letters, digits and _.` };
    }
    env[key] = line.slice(eq + 1);
  }
  return { ok: true, env };
}

export interface DraftCheck {
  readonly name: string | undefined;
  readonly runs: RunsCheck;
  readonly env: ParsedEnv;
}

export function checkDraft(draft: SpawnDraft, agents: ReadonlyArray<AgentInfo>, choices: ReadonlyArray<CliProviderChoice>): DraftCheck {
  return { name: nameProblem(draft.name, agents), runs: checkRuns(draft.runs, choices), env: parseEnvLines(draft.env) };
}

/** The request for a draft that passed its checks; undefined while one fails. */
export function spawnRequestOf(draft: SpawnDraft, check: DraftCheck): SpawnRequest | undefined {
  if (check.name || !check.runs.ok || !check.env.ok) return undefined;
  return {
    name: draft.name,
    ...check.runs.request,
    ...(draft.cwd.trim() ? { cwd: draft.cwd.trim() } : {}),
    ...(draft.task.trim() ? { task: draft.task } : {}),
    env: { ...check.env.env },
  };
}
