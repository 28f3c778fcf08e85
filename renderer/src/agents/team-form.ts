import type { AgentInfo, MethodArgs, TeamTemplate } from '../../../preload/contract';
import type { CliProviderChoice } from './provider-clis';
import { checkRuns, EMPTY_RUNS, type RunsCheck, type RunsDraft } from './runs-form';

export type TeamStart = MethodArgs<'teams.start'>[0];

export interface TeamDraft {
  /** A template id; undefined: the first template. */
  readonly team?: string;
  readonly cwd: string;
  readonly runs: RunsDraft;
}

export const EMPTY_TEAM_DRAFT: TeamDraft = { cwd: '', runs: EMPTY_RUNS };

export interface TeamCheck {
  readonly template: TeamTemplate | undefined;
  readonly team: string | undefined;
  readonly cwd: string | undefined;
  readonly runs: RunsCheck;
  /** Members whose names are taken by running agents (the daemon would refuse the whole team). */
  readonly taken: ReadonlyArray<string>;
}

export function checkTeamDraft(
  draft: TeamDraft,
  templates: ReadonlyArray<TeamTemplate> | undefined,
  agents: ReadonlyArray<AgentInfo>,
  choices: ReadonlyArray<CliProviderChoice>,
): TeamCheck {
  const template = templates?.find((t) => t.id === draft.team) ?? templates?.[0];
  const names = new Set(agents.map((a) => a.name));
  return {
    template,
    team: template ? undefined : 'Choose a team.',
    cwd: draft.cwd.trim() === '' ? 'Choose the folder the team works in.' : undefined,
    runs: checkRuns(draft.runs, choices),
    taken: template ? template.members.filter((m) => names.has(m.name)).map((m) => m.name) : [],
  };
}

/** The request for a draft that passed its checks; undefined while one fails. */
export function teamRequestOf(draft: TeamDraft, check: TeamCheck): TeamStart | undefined {
  if (!check.template || check.cwd || !check.runs.ok) return undefined;
  return { team: check.template.id, cwd: draft.cwd.trim(), ...check.runs.request };
}

/** "Architect, Reviewer and Auditor" */
export function namesList(names: ReadonlyArray<string>): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
