import { useState, type KeyboardEvent } from 'react';

/**
 * A text or number input that saves when you leave it or press Enter. Whatever you typed stays in
 * the box until the daemon accepts it, so a refused value is never lost; Escape goes back to the
 * saved value.
 */
export function DraftInput({
  id,
  type,
  saved,
  commit,
  describedBy,
  suffix,
  className,
  min,
  max,
}: {
  id: string;
  type: 'text' | 'number';
  /** The value the daemon holds, as text. */
  saved: string | undefined;
  /** Saves the draft; returns the refusal to show, or undefined when saved. */
  commit: (draft: string) => Promise<string | undefined>;
  describedBy: string;
  suffix?: string;
  className?: string;
  min?: number;
  max?: number;
}) {
  const [draft, setDraft] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const errorId = `${id}-error`;

  const save = async () => {
    if (draft === undefined || draft === saved) {
      setDraft(undefined);
      setError(undefined);
      return;
    }
    setBusy(true);
    const problem = await commit(draft);
    setBusy(false);
    if (problem) {
      setError(problem);
    } else {
      setDraft(undefined);
      setError(undefined);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      void save();
    } else if (event.key === 'Escape' && draft !== undefined) {
      event.preventDefault();
      setDraft(undefined);
      setError(undefined);
    }
  };

  return (
    <div className="field">
      <div className={`input-wrap${suffix ? ' has-suffix' : ''}`}>
        <input
          id={id}
          className={`input ${className ?? ''}`}
          type={type}
          inputMode={type === 'number' ? 'numeric' : undefined}
          min={min}
          max={max}
          spellCheck={false}
          autoComplete="off"
          value={draft ?? saved ?? ''}
          disabled={saved === undefined}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${errorId} ${describedBy}` : describedBy}
          aria-busy={busy || undefined}
          onChange={(event) => setDraft(event.target.value)}
          onBlur={() => void save()}
          onKeyDown={onKeyDown}
        />
        {suffix ? (
          <span className="input-suffix" aria-hidden="true">
            {suffix}
          </span>
        ) : null}
      </div>
      {error ? (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
