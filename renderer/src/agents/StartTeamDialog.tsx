import { useId, useMemo, useState } from 'react';
import type { AgentInfo, TeamTemplate } from '../../../preload/contract';
import '../styles/agent-forms.css';
import { countText } from '../components/count-text';
import { Dialog } from '../components/Dialog';
import { DialogFooter } from '../components/DialogFooter';
import { useFormSubmission } from './useFormSubmission';
import { WarningIcon } from '../components/Icons';
import { useBridge } from '../hooks/useBridge';
import { useProviders } from '../providers/useProviders';
import { FolderField } from './FolderField';
import { cliProviderChoices } from './provider-clis';
import { RunsFields } from './RunsFields';
import type { RunsDraft } from './runs-form';
import { SpawnFailure } from './SpawnFailure';
import { checkTeamDraft, EMPTY_TEAM_DRAFT, namesList, teamRequestOf, type TeamDraft } from './team-form';
import { useTeamTemplates } from './useTeamTemplates';

function TeamOption({ template, checked, onSelect, group }: { template: TeamTemplate; checked: boolean; onSelect: () => void; group: string }) {
  const id = useId();
  const fromFile = template.source !== 'built-in';
  return (
    <label className="team-option" data-testid="team-option" data-checked={checked || undefined}>
      <input type="radio" className="team-option-radio" name={group} checked={checked} onChange={onSelect} aria-labelledby={`${id}-name`} aria-describedby={`${id}-desc`} />
      <span className="team-option-body">
        <span className="team-option-head">
          <span className="team-option-name" id={`${id}-name`}>
            {template.name}
          </span>
          <span className="team-option-count">{countText(template.members.length, 'agent')}</span>
          {fromFile ? (
            <span className="team-option-source" title={template.source}>
              teams.json
            </span>
          ) : null}
        </span>
        <span className="team-option-description" id={`${id}-desc`}>
          {template.description}
        </span>
        <ul className="team-members" aria-label={`Members of ${template.name}`}>
          {template.members.map((member) => (
            <li key={member.name} className="team-member" title={member.role}>
              <span className="team-member-name">{member.name}</span>
              <span className="team-member-role">{member.role}</span>
              {member.command ? <code className="team-member-command">{member.command}</code> : null}
            </li>
          ))}
        </ul>
      </span>
    </label>
  );
}

/** Starts every member of a team template in one folder, all running the same CLI or command. */
export function StartTeamDialog({
  agents,
  onClose,
  onStarted,
}: {
  agents: ReadonlyArray<AgentInfo>;
  onClose: () => void;
  onStarted: (agents: ReadonlyArray<AgentInfo>) => void;
}) {
  const bridge = useBridge();
  const providers = useProviders();
  const choices = useMemo(() => cliProviderChoices(providers), [providers]);
  const [draft, setDraft] = useState<TeamDraft>(EMPTY_TEAM_DRAFT);
  const listing = useTeamTemplates(draft.cwd);
  const check = checkTeamDraft(draft, listing.templates, agents, choices);
  const { submitted, busy, failure, submit, submitOnModEnter } = useFormSubmission(
    () => teamRequestOf(draft, check),
    async (request) => onStarted(await bridge.call('teams.start', request)),
  );
  const ids = { cwd: useId(), team: useId(), hint: useId() };
  const setRuns = (patch: Partial<RunsDraft>) => setDraft((d) => ({ ...d, runs: { ...d.runs, ...patch } }));
  const template = check.template;

  return (
    <Dialog
      title="Start a team"
      description="Starts several agents at once, each told its role and its teammates in its first message."
      onClose={onClose}
      className="dialog-form dialog-wide"
      testId="start-team-dialog"
    >
      <form
        className="dialog-body"
        noValidate
        onKeyDown={submitOnModEnter}
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <FolderField
          id={ids.cwd}
          value={draft.cwd}
          onChange={(cwd) => setDraft((d) => ({ ...d, cwd }))}
          error={submitted ? check.cwd : undefined}
          hint={
            <>
              Every member works here. A <code>teams.json</code> in this folder adds its own teams to the list.
            </>
          }
        />

        <div className="form-field" role="radiogroup" aria-labelledby={ids.team}>
          <span className="form-label" id={ids.team}>
            Team
          </span>
          {listing.problem ? (
            <div className="form-notice" role="alert" data-testid="teams-problem">
              <WarningIcon size={16} />
              <span>{listing.problem}</span>
            </div>
          ) : null}
          {listing.error ? (
            <p className="form-error" role="alert">
              The teams could not be listed: {listing.error}
            </p>
          ) : null}
          {listing.templates === undefined ? (
            <p className="form-hint" role="status">
              Loading teams…
            </p>
          ) : (
            <div className="team-options">
              {listing.templates.map((t) => (
                <TeamOption key={t.id} template={t} group={ids.team} checked={t.id === template?.id} onSelect={() => setDraft((d) => ({ ...d, team: t.id }))} />
              ))}
            </div>
          )}
          {check.taken.length ? (
            <p className="form-caution" role="note">
              <WarningIcon size={14} /> {namesList(check.taken)} {check.taken.length === 1 ? 'is' : 'are'} already running: remove{' '}
              {check.taken.length === 1 ? 'it' : 'them'} first.
            </p>
          ) : null}
        </div>

        <RunsFields draft={draft.runs} onChange={setRuns} choices={choices} check={check.runs} showErrors={submitted} />
        {template?.members.some((m) => m.command) ? (
          <p className="form-hint">Members that name their own command in teams.json run that instead.</p>
        ) : null}

        {failure ? <SpawnFailure failure={failure} title="The team could not be started" /> : null}

        <DialogFooter
          hint={<><kbd>Enter</kbd> starts · <kbd>Esc</kbd> cancels</>}
          hintId={ids.hint}
          onCancel={onClose}
          action={{ label: template ? `Start ${countText(template.members.length, 'agent')}` : 'Start team', busyLabel: 'Starting…', busy }}
        />
      </form>
    </Dialog>
  );
}
