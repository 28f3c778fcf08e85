import { describe, expect, it } from 'vitest';
import type { AccountView, AgentInfo, ProvidersState, ProviderView, TeamTemplate } from '../../../preload/contract';
import { splitShellWords } from '../../../renderer/src/agents/command-line';
import { accountOptionLabel, cliProviderChoices, providerOptionLabel } from '../../../renderer/src/agents/provider-clis';
import { checkRuns, EMPTY_RUNS, resolveRuns } from '../../../renderer/src/agents/runs-form';
import { checkDraft, EMPTY_DRAFT, spawnRequestOf } from '../../../renderer/src/agents/spawn-form';
import { checkTeamDraft, EMPTY_TEAM_DRAFT, namesList, teamRequestOf } from '../../../renderer/src/agents/team-form';

const account = (provider: string, accountId: string, extra: Partial<AccountView> = {}): AccountView => ({
  provider,
  accountId,
  name: accountId,
  method: 'import',
  state: 'connected',
  updatedAt: 0,
  isDefault: false,
  canRefresh: true,
  ...extra,
});
/** The CLIs the daemon reports for these providers (from its registry). */
const CLIS: Record<string, ProviderView['cli']> = {
  anthropic: { command: 'claude', skipPermissionsFlag: '--dangerously-skip-permissions' },
  openai: { command: 'codex', skipPermissionsFlag: '--dangerously-bypass-approvals-and-sandbox' },
  google: { command: 'gemini', skipPermissionsFlag: '--yolo' },
};
const provider = (id: string, name: string, accounts: AccountView[] = [], kind: ProviderView['kind'] = 'oauth'): ProviderView => ({
  id,
  name,
  description: '',
  brandColor: '#000',
  logo: id,
  kind,
  methods: ['browser'],
  ...(CLIS[id] ? { cli: CLIS[id] } : {}),
  accounts,
});
const state = (...providers: ProviderView[]): ProvidersState => ({ providers, vault: { protection: 'weaker', consentRequired: false }, configProblems: [] });

const STATE = state(
  provider('anthropic', 'Anthropic'),
  provider('openai', 'OpenAI', [account('openai', 'work', { email: 'me@work.example', plan: 'Pro' }), account('openai', 'home', { isDefault: true })]),
  provider('ollama', 'Ollama', [account('ollama', 'local')], 'self-hosted'),
  provider('google', 'Google', [account('google', 'g', { isDefault: true, state: 'needs_signin' })]),
);
const CHOICES = cliProviderChoices(STATE);
const agent = (name: string) => ({ name }) as AgentInfo;

describe('provider choices', () => {
  it('lists only providers with a CLI, connected ones first, each with its account count', () => {
    expect(CHOICES.map((c) => [c.id, c.connected])).toEqual([
      ['openai', true],
      ['google', true],
      ['anthropic', false],
    ]);
    expect(CHOICES.map(providerOptionLabel)).toEqual(['OpenAI · 2 accounts', 'Google · 1 account', 'Anthropic — connect it first']);
    expect(cliProviderChoices(undefined)).toEqual([]);
  });

  it('labels accounts with who, plan, default and a sign-in that lapsed', () => {
    expect(accountOptionLabel(account('openai', 'work', { email: 'me@work.example', plan: 'Pro' }))).toBe('work (me@work.example) · Pro');
    expect(accountOptionLabel(account('google', 'g', { isDefault: true, state: 'needs_signin' }))).toBe('g · default — sign in again');
  });
});

describe('what an agent runs', () => {
  it('defaults to the first connected provider and its default account, or to a command when none is connected', () => {
    const resolved = resolveRuns(EMPTY_RUNS, CHOICES);
    expect(resolved.mode).toBe('provider');
    expect(resolved.provider?.id).toBe('openai');
    expect(resolved.account?.accountId).toBe('home');
    expect(resolveRuns(EMPTY_RUNS, cliProviderChoices(state(provider('anthropic', 'Anthropic')))).mode).toBe('command');
    // A provider that is not connected cannot be chosen, even if the draft names it.
    expect(resolveRuns({ ...EMPTY_RUNS, provider: 'anthropic' }, CHOICES).provider?.id).toBe('openai');
    expect(resolveRuns({ ...EMPTY_RUNS, account: 'work' }, CHOICES).account?.accountId).toBe('work');
  });

  it('asks for the provider flag and passes extra arguments split as a shell would', () => {
    const check = checkRuns({ ...EMPTY_RUNS, account: 'work', skipPermissions: true, extraArgs: `--model o3 -c 'a b'` }, CHOICES);
    expect(check).toMatchObject({
      ok: true,
      request: { provider: 'openai', account: 'work', skipPermissions: true, args: ['--model', 'o3', '-c', 'a b'] },
      preview: { command: 'codex', args: ['--dangerously-bypass-approvals-and-sandbox', '--model', 'o3', '-c', 'a b'] },
    });
    expect(checkRuns({ ...EMPTY_RUNS, provider: 'google' }, CHOICES)).toMatchObject({ ok: true, preview: { command: 'gemini', args: [] } });
  });

  it('refuses an unclosed quote, an empty command and a provider mode with nothing connected', () => {
    expect(checkRuns({ ...EMPTY_RUNS, extraArgs: '--x "open' }, CHOICES)).toEqual({ ok: false, field: 'extraArgs', error: 'Close the double quote.' });
    expect(checkRuns({ ...EMPTY_RUNS, mode: 'command' }, CHOICES)).toEqual({ ok: false, field: 'commandLine', error: 'Enter a command to run.' });
    expect(checkRuns({ ...EMPTY_RUNS, mode: 'provider' }, [])).toMatchObject({ ok: false, field: 'provider' });
    expect(splitShellWords(`a "b c" d\\ e ''`)).toEqual({ ok: true, words: ['a', 'b c', 'd e', ''] });
  });

  it('builds a spawn request by provider or by command, never both', () => {
    const byProvider = { ...EMPTY_DRAFT, name: 'Codex1', cwd: ' ~/src ', task: 'Fix it', runs: { ...EMPTY_RUNS, skipPermissions: true } };
    expect(spawnRequestOf(byProvider, checkDraft(byProvider, [], CHOICES))).toEqual({
      name: 'Codex1',
      provider: 'openai',
      account: 'home',
      skipPermissions: true,
      args: [],
      cwd: '~/src',
      task: 'Fix it',
      env: {},
    });
    const byCommand = { ...EMPTY_DRAFT, name: 'Echo', env: 'A=1', runs: { ...EMPTY_RUNS, mode: 'command' as const, commandLine: 'node echo.mjs --x' } };
    expect(spawnRequestOf(byCommand, checkDraft(byCommand, [], CHOICES))).toEqual({ name: 'Echo', command: 'node', args: ['echo.mjs', '--x'], env: { A: '1' } });
    expect(spawnRequestOf(byCommand, checkDraft(byCommand, [agent('Echo')], CHOICES))).toBeUndefined();
  });
});

describe('starting a team', () => {
  const templates: TeamTemplate[] = [
    { id: 'code-review', name: 'Code review', description: '', source: 'built-in', members: ['Architect', 'Reviewer', 'Auditor'].map((name) => ({ name, role: 'r' })) },
    { id: 'feature', name: 'Feature', description: '', source: 'built-in', members: [{ name: 'Lead', role: 'r' }] },
  ];

  it('needs a folder, takes the first team by default, and flags members whose names are taken', () => {
    const empty = checkTeamDraft(EMPTY_TEAM_DRAFT, templates, [agent('Reviewer'), agent('Auditor')], CHOICES);
    expect(empty.template?.id).toBe('code-review');
    expect(empty.cwd).toBe('Choose the folder the team works in.');
    expect(empty.taken).toEqual(['Reviewer', 'Auditor']);
    expect(teamRequestOf(EMPTY_TEAM_DRAFT, empty)).toBeUndefined();
    expect(checkTeamDraft(EMPTY_TEAM_DRAFT, undefined, [], CHOICES).team).toBe('Choose a team.');
  });

  it('sends the chosen team with what its members run', () => {
    const draft = { team: 'feature', cwd: '/work', runs: { ...EMPTY_RUNS, mode: 'command' as const, commandLine: "node 'my agent.mjs'" } };
    expect(teamRequestOf(draft, checkTeamDraft(draft, templates, [], CHOICES))).toEqual({ team: 'feature', cwd: '/work', command: 'node', args: ['my agent.mjs'] });
    expect(namesList(['A', 'B', 'C'])).toBe('A, B and C');
  });
});
