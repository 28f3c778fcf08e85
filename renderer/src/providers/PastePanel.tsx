import { useId } from 'react';
import type { ProviderView, SignInProgress } from '../../../preload/contract';
import { OpenLink } from './OpenLink';
import { WaitingLine } from '../components/Spinner';
import { useCodeSubmission } from './useCodeSubmission';
import { useFocusOnOpen } from '../hooks/useFocusOnOpen';
import { DialogFooter } from '../components/DialogFooter';

/** Anthropic-style sign-in: the page shows a code, the user pastes it here. */
export function PastePanel({
  provider,
  progress,
  submit,
  onCancel,
}: {
  provider: ProviderView;
  progress: SignInProgress;
  submit: (code: string) => Promise<{ ok: boolean; message?: string }>;
  onCancel: () => void;
}) {
  const { code, setCode, refusal, busy, onSubmit } = useCodeSubmission(submit);
  const fieldId = useId();
  const field = useFocusOnOpen<HTMLTextAreaElement>();
  const hintId = useId();
  const errorId = useId();
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
      <div className="form-field">
        <textarea
          id={fieldId}
          className="input textarea input-block input-mono"
          rows={3}
          value={code}
          spellCheck={false}
          autoComplete="off"
          aria-describedby={refusal ? `${errorId} ${hintId}` : hintId}
          aria-invalid={refusal ? true : undefined}
          placeholder="code#state"
          onChange={(event) => setCode(event.target.value)}
          ref={field}
        />
        <p id={hintId} className="form-hint">
          The <code>code#state</code> pair, the whole address from the page, or the code alone.
        </p>
        {refusal ? (
          <p id={errorId} className="form-error" role="alert">
            {refusal}
          </p>
        ) : null}
      </div>
      <DialogFooter
        hint={<><kbd>Esc</kbd> cancels</>}
        onCancel={onCancel}
        action={{ label: 'Submit code', busyLabel: 'Checking…', busy, disabled: !code.trim() }}
      />
    </form>
  );
}
