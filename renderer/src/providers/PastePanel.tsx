import { useId } from 'react';
import { OpenLink } from './OpenLink';
import { WaitingLine } from '../components/Spinner';
import { useCodeSubmission } from './useCodeSubmission';
import { DialogFooter } from '../components/DialogFooter';
import { CodeField, type CodePanelProps } from './CodeField';

/** Anthropic-style sign-in: the page shows a code, the user pastes it here. */
export function PastePanel({ provider, progress, submit, onCancel }: CodePanelProps) {
  const { code, setCode, refusal, busy, onSubmit } = useCodeSubmission(submit);
  const fieldId = useId();
  if (progress.phase === 'starting') return <WaitingLine>Preparing the sign-in page…</WaitingLine>;
  return (
    <form
      className="signin-panel"
      data-testid="paste-panel"
      onSubmit={onSubmit}
    >
      <ol className="signin-steps">
        <li>
          <span className="signin-step-text">Sign in on {provider.name}'s page.</span>
          {progress.url ? (
            <OpenLink href={progress.url} variant="secondary">
              Open {provider.name} sign-in
            </OpenLink>
          ) : null}
        </li>
        <li>
          <label className="signin-step-text" htmlFor={fieldId}>
            Paste the code it shows you:
          </label>
        </li>
      </ol>
      <CodeField
        id={fieldId}
        rows={3}
        code={code}
        setCode={setCode}
        refusal={refusal}
        placeholder="code#state"
        hint={<>The <code>code#state</code> pair, the whole address from the page, or the code alone.</>}
      />
      <DialogFooter
        hint={<><kbd>Esc</kbd> cancels</>}
        onCancel={onCancel}
        action={{ label: 'Submit code', busyLabel: 'Checking…', busy, disabled: !code.trim() }}
      />
    </form>
  );
}
