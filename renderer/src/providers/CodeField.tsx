import { useId, type ReactNode } from 'react';
import type { ProviderView, SignInProgress } from '../../../preload/contract';
import { useFocusOnOpen } from '../hooks/useFocusOnOpen';

/** What a sign-in panel that takes a code gets: the provider, where its sign-in stands, and the way to send a code or cancel. */
export interface CodePanelProps {
  provider: ProviderView;
  progress: SignInProgress;
  submit: (code: string) => Promise<{ ok: boolean; message?: string }>;
  onCancel: () => void;
}

/**
 * The field a sign-in code is pasted into (its label stands in the panel's steps, pointing at `id`),
 * its hint, and the refusal when the code was not taken. Focused once it appears.
 */
export function CodeField({
  id,
  rows,
  code,
  setCode,
  refusal,
  placeholder,
  hint,
}: {
  id: string;
  rows: number;
  code: string;
  setCode: (code: string) => void;
  refusal: string | undefined;
  placeholder?: string;
  hint: ReactNode;
}) {
  const field = useFocusOnOpen<HTMLTextAreaElement>();
  const hintId = useId();
  const errorId = useId();
  return (
    <div className="form-field">
      <textarea
        id={id}
        className="input textarea input-block input-mono"
        rows={rows}
        value={code}
        spellCheck={false}
        autoComplete="off"
        aria-describedby={refusal ? `${errorId} ${hintId}` : hintId}
        aria-invalid={refusal ? true : undefined}
        placeholder={placeholder}
        onChange={(event) => setCode(event.target.value)}
        ref={field}
      />
      <p id={hintId} className="form-hint">
        {hint}
      </p>
      {refusal ? (
        <p id={errorId} className="form-error" role="alert">
          {refusal}
        </p>
      ) : null}
    </div>
  );
}
