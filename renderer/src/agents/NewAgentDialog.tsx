import { useId, useMemo, useState } from 'react';
import type { AgentInfo } from '../../../preload/contract';
import '../styles/agent-forms.css';
import { Dialog } from '../components/Dialog';
import { DialogFooter } from '../components/DialogFooter';
import { useFormSubmission } from './useFormSubmission';
import { useBridge } from '../hooks/useBridge';
import { useProviders } from '../providers/useProviders';
import { FolderField } from './FolderField';
import { cliProviderChoices } from './provider-clis';
import { RunsFields } from './RunsFields';
import type { RunsDraft } from './runs-form';
import { SpawnFailure } from './SpawnFailure';
import { checkDraft, EMPTY_DRAFT, spawnRequestOf, type SpawnDraft } from './spawn-form';

type Touched = Partial<Record<keyof SpawnDraft, boolean>>;

/**
 * Spawns an agent: a provider's CLI with one of its accounts, or any command line. The daemon's
 * refusal is shown here, the draft kept.
 */
export function NewAgentDialog({
  agents,
  onClose,
  onSpawned,
}: {
  agents: ReadonlyArray<AgentInfo>;
  onClose: () => void;
  onSpawned: (agent: AgentInfo) => void;
}) {
  const bridge = useBridge();
  const providers = useProviders();
  const choices = useMemo(() => cliProviderChoices(providers), [providers]);
  const [draft, setDraft] = useState<SpawnDraft>(EMPTY_DRAFT);
  const [touched, setTouched] = useState<Touched>({});
  const check = checkDraft(draft, agents, choices);
  const { submitted, busy, failure, submit, submitOnModEnter } = useFormSubmission(
    () => spawnRequestOf(draft, check),
    async (request) => onSpawned(await bridge.call('agents.spawn', request)),
  );
  const ids = { name: useId(), cwd: useId(), task: useId(), env: useId(), hint: useId() };

  const set = (field: 'name' | 'cwd' | 'task' | 'env') => (value: string) => setDraft((d) => ({ ...d, [field]: value }));
  const setRuns = (patch: Partial<RunsDraft>) => setDraft((d) => ({ ...d, runs: { ...d.runs, ...patch } }));
  // Checked live as soon as there is something to check; an empty field only complains once left or submitted.
  const nameError = draft.name !== '' || submitted || touched.name ? check.name : undefined;
  const envError = !check.env.ok ? check.env.error : undefined;

  return (
    <Dialog
      title="New agent"
      description="Runs a coding agent in a terminal of its own. Other agents can message it by name."
      onClose={onClose}
      className="dialog-form"
      testId="new-agent-dialog"
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
        <div className="form-field">
          <label htmlFor={ids.name} className="form-label">
            Name
          </label>
          <input
            id={ids.name}
            className="input input-block"
            value={draft.name}
            autoFocus
            autoComplete="off"
            spellCheck={false}
            placeholder="Alice"
            aria-invalid={nameError ? true : undefined}
            aria-describedby={`${ids.name}-msg`}
            onChange={(e) => set('name')(e.target.value)}
            onBlur={() => setTouched((t) => ({ ...t, name: true }))}
          />
          <p id={`${ids.name}-msg`} className={nameError ? 'form-error' : 'form-hint'} role={nameError ? 'alert' : undefined}>
            {nameError ?? 'Up to 32 letters, digits, "-" or "_". Agents address each other by it.'}
          </p>
        </div>

        <RunsFields draft={draft.runs} onChange={setRuns} choices={choices} check={check.runs} showErrors={submitted} />

        <FolderField id={ids.cwd} value={draft.cwd} onChange={set('cwd')} optional />

        <div className="form-field">
          <label htmlFor={ids.task} className="form-label">
            First task <span className="form-optional">optional</span>
          </label>
          <textarea
            id={ids.task}
            className="input textarea"
            rows={2}
            value={draft.task}
            placeholder="Review the open pull request and send your findings to Bob."
            aria-describedby={`${ids.task}-msg`}
            onChange={(e) => set('task')(e.target.value)}
          />
          <p id={`${ids.task}-msg`} className="form-hint">
            Typed into the agent as its first message once it is ready for input.
          </p>
        </div>

        <div className="form-field">
          <label htmlFor={ids.env} className="form-label">
            Environment <span className="form-optional">optional</span>
          </label>
          <textarea
            id={ids.env}
            className="input textarea input-mono"
            rows={2}
            value={draft.env}
            spellCheck={false}
            placeholder={'DEBUG=1\nLOG_LEVEL=info'}
            aria-invalid={envError ? true : undefined}
            aria-describedby={`${ids.env}-msg`}
            onChange={(e) => set('env')(e.target.value)}
          />
          <p id={`${ids.env}-msg`} className={envError ? 'form-error' : 'form-hint'} role={envError ? 'alert' : undefined}>
            {envError ?? 'One KEY=VALUE per line, added to the agent’s environment.'}
          </p>
        </div>

        {failure ? <SpawnFailure failure={failure} title="The agent could not be started" /> : null}

        <DialogFooter
          hint={<><kbd>Enter</kbd> starts · <kbd>Esc</kbd> cancels</>}
          hintId={ids.hint}
          onCancel={onClose}
          action={{ label: 'Start agent', busyLabel: 'Starting…', busy }}
        />
      </form>
    </Dialog>
  );
}
