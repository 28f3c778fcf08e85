import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AgentName, type TeamTemplate } from '../../../preload/contract.js';
import { BridgeError } from '../bridge/errors.js';

export const TEAMS_FILE = 'teams.json';

/** Built-in teams: a name and a role for each member; the user picks the CLI that runs them. */
export const BUILT_IN_TEAMS: ReadonlyArray<TeamTemplate> = [
  {
    id: 'code-review',
    name: 'Code review',
    description: 'An architect, a reviewer and a security auditor look at the same change from three sides.',
    source: 'built-in',
    members: [
      { name: 'Architect', role: 'Judge the design of the change: structure, boundaries, naming, and what will be hard to change later. Ask the reviewer and the auditor about anything in their area.' },
      { name: 'Reviewer', role: 'Review the change line by line for correctness, tests and readability. Report findings to the architect.' },
      { name: 'Auditor', role: 'Audit the change for security problems: injection, secrets, unsafe input, permissions. Report findings to the architect.' },
    ],
  },
  {
    id: 'feature',
    name: 'Feature',
    description: 'A lead splits a feature between a frontend and a backend developer, and a tester checks the result.',
    source: 'built-in',
    members: [
      { name: 'Lead', role: 'Plan the feature, split it into tasks, send each task to the right teammate, and integrate the results.' },
      { name: 'Frontend', role: 'Build the user-facing part of the tasks the lead sends you. Tell the lead when a task is done.' },
      { name: 'Backend', role: 'Build the server and data part of the tasks the lead sends you. Tell the lead when a task is done.' },
      { name: 'Tester', role: 'Write and run tests for what the others finish; report failures to whoever owns the code, and the result to the lead.' },
    ],
  },
];

const MemberFile = z
  .object({
    name: AgentName,
    role: z.string().min(1).max(4000),
    command: z.string().min(1).optional(),
    args: z.array(z.string()).optional(),
  })
  .strict();
const TeamFile = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,40}$/).optional(),
    name: z.string().min(1).max(80),
    description: z.string().max(400).optional(),
    members: z.array(MemberFile).min(1).max(16),
  })
  .strict();
const TeamsFile = z.union([TeamFile, z.object({ teams: z.array(TeamFile).min(1) }).strict()]);

export interface TeamListing {
  templates: TeamTemplate[];
  /** A teams.json that could not be used, said so the user can fix it. */
  problem?: string;
}

/** The built-in teams plus those in `<cwd>/teams.json`, if there is one. */
export function listTeams(cwd: string | undefined): TeamListing {
  const templates = [...BUILT_IN_TEAMS];
  if (!cwd) return { templates };
  const file = path.join(cwd, TEAMS_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { templates };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { templates, problem: `${file} is not valid JSON: ${(error as Error).message}` };
  }
  const parsed = TeamsFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { templates, problem: `${file}: ${issue.path.join('.') || 'the file'}: ${issue.message}` };
  }
  const teams = 'teams' in parsed.data ? parsed.data.teams : [parsed.data];
  teams.forEach((team, index) => {
    const names = new Set<string>();
    for (const member of team.members) {
      if (names.has(member.name.toLowerCase())) return;
      names.add(member.name.toLowerCase());
    }
    templates.push({
      id: `file-${team.id ?? index + 1}`,
      name: team.name,
      description: team.description ?? `From ${file}`,
      source: file,
      members: team.members.map((m) => ({ name: m.name, role: m.role, ...(m.command ? { command: m.command } : {}), ...(m.args ? { args: m.args } : {}) })),
    });
  });
  return { templates };
}

export function findTeam(id: string, cwd: string | undefined): TeamTemplate {
  const listing = listTeams(cwd);
  const team = listing.templates.find((t) => t.id === id);
  if (team) return team;
  throw new BridgeError('team_not_found', `There is no team ${JSON.stringify(id)}.${listing.problem ? ` ${listing.problem}` : ''}`);
}

/** How an agent learns who its teammates are and how to reach them: its first message. */
export function teamBriefing(team: TeamTemplate, member: TeamTemplate['members'][number]): string {
  const others = team.members.filter((m) => m !== member);
  return [
    `You are ${member.name}, one of ${team.members.length} agents working as the "${team.name}" team, connected by Agent Relay.`,
    `Your role: ${member.role}`,
    others.length ? `Your teammates: ${others.map((m) => `${m.name} (${m.role.split('.')[0]})`).join('; ')}.` : '',
    'To message a teammate, print a line of its own: ->relay:Name your message   (->relay:* reaches everyone).',
    'For several lines: ->relay:Name <<<   then the lines, then >>> on a line of its own.',
    'Messages to you arrive as "Relay message from Name [id]: …".',
  ]
    .filter(Boolean)
    .join('\n');
}
