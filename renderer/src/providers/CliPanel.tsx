import { useEffect, useId, useRef } from 'react';
import type { ProviderView, SignInProgress } from '../../../preload/contract';
import { CopyButton } from '../components/CopyButton';
import { OpenLink } from './OpenLink';
import { WaitingLine } from '../components/Spinner';
import { useCodeSubmission } from './useCodeSubmission';

/**
 * A sign-in run by the provider's own CLI (Claude Code, Gemini CLI): the URL it printed (Open, Copy),
 * and a field whose code goes into the CLI's own prompt. The CLI decides whether it worked.
 */
export function CliPanel({
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
  const hintId = useId();
  const errorId = useId();
  const field = useRef<HTMLTextAreaElement>(null);
  const by = provider.signInBy ?? provider.name;
  // A CLI that takes the browser's answer itself (Codex) never asks for a code.
  const asksForCode = progress.phase === 'need-code';
  // Focus the field once it appears (a task later: the dialog's showModal moves focus first).
  useEffect(() => {
    if (!asksForCode) return;
    const timer = setTimeout(() => field.current?.focus());
    return () => clearTimeout(timer);
  }, [asksForCode]);
  return (
    <form
      className="signin-panel"
      data-testid="cli-panel"
      onSubmit={onSubmit}
    >
      <p className="signin-lead">
        {by} is signing you in. It keeps the login in this account’s own folder; Agent Relay never uses it itself.
      </p>
      <ol className="signin-steps">
        <li>
          <span className="signin-step-text">Open the page {by} gave, and sign in there.</span>
          {progress.url ? (
            <>
              <p className="signin-url" data-testid="cli-url">
                {progress.url}
              </p>
              <span className="cli-url-actions">
                <OpenLink href={progress.url} variant="secondary">
                  Open sign-in page
                </OpenLink>
                <CopyButton text={progress.url} label="Copy link" />
              </span>
            </>
          ) : null}
        </li>
        {asksForCode ? (
          <li>
            <label className="signin-step-text" htmlFor={fieldId}>
              Paste the code the page shows you:
            </label>
          </li>
        ) : null}
      </ol>
      {asksForCode ? (
        <div className="form-field">
          <textarea
            id={fieldId}
            className="input textarea input-block input-mono"
            rows={2}
            value={code}
            spellCheck={false}
            autoComplete="off"
            aria-describedby={refusal ? `${errorId} ${hintId}` : hintId}
            aria-invalid={refusal ? true : undefined}
            onChange={(event) => setCode(event.target.value)}
            ref={field}
          />
          <p id={hintId} className="form-hint">
            The code goes straight into {by}’s prompt.
          </p>
          {refusal ? (
            <p id={errorId} className="form-error" role="alert">
              {refusal}
            </p>
          ) : null}
        </div>
      ) : (
        <WaitingLine>{`Waiting for ${by} to hear back from your browser…`}</WaitingLine>
      )}
      {busy ? <WaitingLine>{`${by} is checking the code…`}</WaitingLine> : null}
      <footer className="dialog-footer">
        <span className="dialog-footer-hint">
          <kbd>Esc</kbd> cancels
        </span>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
        {asksForCode ? (
          <button type="submit" className="button button-primary" disabled={busy || !code.trim()}>
            {busy ? 'Checking…' : 'Submit code'}
          </button>
        ) : null}
      </footer>
    </form>
  );
}
