import { useId } from 'react';
import { CopyButton } from '../components/CopyButton';
import { DialogFooter } from '../components/DialogFooter';
import { OpenLink } from './OpenLink';
import { WaitingLine } from '../components/Spinner';
import { useCodeSubmission } from './useCodeSubmission';
import { CodeField, type CodePanelProps } from './CodeField';

/**
 * A sign-in run by the provider's own CLI (Claude Code, Gemini CLI): the URL it printed (Open, Copy),
 * and a field whose code goes into the CLI's own prompt. The CLI decides whether it worked.
 */
export function CliPanel({ provider, progress, submit, onCancel }: CodePanelProps) {
  const { code, setCode, refusal, busy, onSubmit } = useCodeSubmission(submit);
  const fieldId = useId();
  const by = provider.signInBy ?? provider.name;
  // A CLI that takes the browser's answer itself (Codex) never asks for a code.
  const asksForCode = progress.phase === 'need-code';
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
        <CodeField id={fieldId} rows={2} code={code} setCode={setCode} refusal={refusal} hint={<>The code goes straight into {by}’s prompt.</>} />
      ) : (
        <WaitingLine>{`Waiting for ${by} to hear back from your browser…`}</WaitingLine>
      )}
      {busy ? <WaitingLine>{`${by} is checking the code…`}</WaitingLine> : null}
      <DialogFooter
        hint={<><kbd>Esc</kbd> cancels</>}
        onCancel={onCancel}
        action={asksForCode ? { label: 'Submit code', busyLabel: 'Checking…', busy, disabled: !code.trim() } : undefined}
      />
    </form>
  );
}
