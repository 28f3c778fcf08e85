import { useId, useState } from 'react';
import { PasswordInput } from './PasswordInput';
import { StrengthMeter } from './StrengthMeter';
import { MIN_PASSPHRASE_LENGTH } from './sync-view';

export interface PassphraseDraft {
  readonly first: string;
  readonly second: string;
}

export const EMPTY_DRAFT: PassphraseDraft = { first: '', second: '' };

/**
 * Turning sync on: choose a passphrase (first device, typed twice) or enter it (other devices).
 * The draft lives with the caller, so a refusal or a status change never empties the fields.
 */
export function PassphraseForm({
  mode,
  draft,
  onDraft,
  error,
  busy,
  onSubmit,
  onCancel,
}: {
  mode: 'choose' | 'enter';
  draft: PassphraseDraft;
  onDraft: (draft: PassphraseDraft) => void;
  error: string | undefined;
  busy: boolean;
  onSubmit: (passphrase: string) => void;
  onCancel?: () => void;
}) {
  const firstId = useId();
  const secondId = useId();
  const strengthId = useId();
  const errorId = useId();
  const introId = useId();
  const [tried, setTried] = useState(false);
  const tooShort = mode === 'choose' && draft.first.length < MIN_PASSPHRASE_LENGTH;
  const mismatch = mode === 'choose' && draft.second !== draft.first;
  const empty = draft.first.length === 0;
  const localProblem = empty
    ? mode === 'choose'
      ? 'Choose a passphrase.'
      : 'Enter your passphrase or recovery code.'
    : tooShort
      ? `Use at least ${MIN_PASSPHRASE_LENGTH} characters.`
      : mismatch
        ? draft.second.length === 0
          ? 'Type the passphrase a second time.'
          : 'The two passphrases differ.'
        : undefined;
  const shown = error ?? (tried ? localProblem : undefined);
  return (
    <form
      className="sync-passphrase"
      aria-describedby={introId}
      data-testid="sync-passphrase-form"
      onSubmit={(event) => {
        event.preventDefault();
        setTried(true);
        if (localProblem) return;
        onSubmit(draft.first);
      }}
    >
      <div className="sync-passphrase-intro" id={introId}>
        {mode === 'choose' ? (
          <>
            <p className="sync-passphrase-title">Choose a sync passphrase</p>
            <p>
              It encrypts your logins on this device before anything is sent. It <strong>never leaves this device</strong>, and the server cannot reset it: if you
              forget it, only the recovery code you are about to get can unlock your vault.
            </p>
          </>
        ) : (
          <>
            <p className="sync-passphrase-title">Enter your sync passphrase</p>
            <p>This account already syncs from another device. Enter the passphrase you chose there, or your recovery code, to unlock its vault here.</p>
          </>
        )}
      </div>
      <div className="form-field">
        <label className="form-label" htmlFor={firstId}>
          {mode === 'choose' ? 'Sync passphrase' : 'Passphrase or recovery code'}
        </label>
        <PasswordInput
          id={firstId}
          value={draft.first}
          onChange={(first) => onDraft({ ...draft, first })}
          autoComplete={mode === 'choose' ? 'new-password' : 'current-password'}
          invalid={Boolean(shown) && (mode === 'enter' || tooShort || empty)}
          describedBy={[mode === 'choose' ? strengthId : '', shown ? errorId : ''].filter(Boolean).join(' ')}
        />
        {mode === 'choose' ? <StrengthMeter passphrase={draft.first} id={strengthId} /> : null}
      </div>
      {mode === 'choose' ? (
        <div className="form-field">
          <label className="form-label" htmlFor={secondId}>
            Repeat the passphrase
          </label>
          <PasswordInput
            id={secondId}
            value={draft.second}
            onChange={(second) => onDraft({ ...draft, second })}
            autoComplete="new-password"
            invalid={Boolean(shown) && !tooShort && !empty && mismatch}
            describedBy={shown ? errorId : undefined}
          />
        </div>
      ) : null}
      {shown ? (
        <p id={errorId} className="form-error" role="alert">
          {shown}
        </p>
      ) : null}
      <div className="sync-actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? (mode === 'choose' ? 'Turning on…' : 'Unlocking…') : mode === 'choose' ? 'Turn on sync' : 'Unlock and turn on sync'}
        </button>
        {onCancel ? (
          <button type="button" className="button button-secondary" onClick={onCancel} disabled={busy}>
            Not now
          </button>
        ) : null}
      </div>
    </form>
  );
}
