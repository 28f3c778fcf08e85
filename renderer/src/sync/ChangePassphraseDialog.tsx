import { useId, useState } from 'react';
import { Dialog } from '../components/Dialog';
import { DialogFooter } from '../components/DialogFooter';
import { useBridge } from '../hooks/useBridge';
import { failureOf } from '../bridge/bridge-error';
import { useFocusOnOpen } from '../hooks/useFocusOnOpen';
import { PasswordInput } from './PasswordInput';
import { StrengthMeter } from './StrengthMeter';
import { MIN_PASSPHRASE_LENGTH, WRONG_PASSPHRASE_TEXT } from './sync-view';

/** Re-wraps the vault key with a new passphrase: the current one (or the recovery code), the new one twice. */
export function ChangePassphraseDialog({ onClose, onChanged }: { onClose: () => void; onChanged: () => void }) {
  const bridge = useBridge();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [tried, setTried] = useState(false);
  const [refusal, setRefusal] = useState<{ field: 'current' | 'next'; message: string }>();
  const currentId = useId();
  const nextId = useId();
  const againId = useId();
  const strengthId = useId();
  const errorId = useId();
  const first = useFocusOnOpen<HTMLInputElement>();
  const local =
    current.length === 0
      ? { field: 'current' as const, message: 'Enter your current passphrase or recovery code.' }
      : next.length < MIN_PASSPHRASE_LENGTH
        ? { field: 'next' as const, message: `Use at least ${MIN_PASSPHRASE_LENGTH} characters for the new passphrase.` }
        : next !== again
          ? { field: 'next' as const, message: 'The two new passphrases differ.' }
          : undefined;
  const problem = refusal ?? (tried ? local : undefined);
  return (
    <Dialog
      title="Change sync passphrase"
      description="Your other devices keep syncing; they ask for the new passphrase only when they sign in again."
      onClose={onClose}
      testId="sync-change-passphrase-dialog"
    >
      <form
        className="dialog-body"
        onSubmit={(event) => {
          event.preventDefault();
          setTried(true);
          setRefusal(undefined);
          if (local) return;
          setBusy(true);
          bridge.call('sync.changePassphrase', { current, next }).then(
            () => {
              onChanged();
              onClose();
            },
            (error: unknown) => {
              setBusy(false);
              const failure = failureOf(error);
              if (failure.code === 'wrong_passphrase') setRefusal({ field: 'current', message: `${WRONG_PASSPHRASE_TEXT} Check it, or use your recovery code.` });
              else setRefusal({ field: failure.code === 'passphrase_too_short' ? 'next' : 'current', message: failure.message });
            },
          );
        }}
      >
        <div className="form-field">
          <label className="form-label" htmlFor={currentId}>
            Current passphrase or recovery code
          </label>
          <PasswordInput
            id={currentId}
            inputRef={first}
            value={current}
            onChange={(value) => {
              setCurrent(value);
              setRefusal(undefined);
            }}
            autoComplete="current-password"
            invalid={problem?.field === 'current'}
            describedBy={problem?.field === 'current' ? errorId : undefined}
          />
        </div>
        <div className="form-field">
          <label className="form-label" htmlFor={nextId}>
            New passphrase
          </label>
          <PasswordInput
            id={nextId}
            value={next}
            onChange={setNext}
            autoComplete="new-password"
            invalid={problem?.field === 'next'}
            describedBy={[strengthId, problem?.field === 'next' ? errorId : ''].filter(Boolean).join(' ')}
          />
          <StrengthMeter passphrase={next} id={strengthId} />
        </div>
        <div className="form-field">
          <label className="form-label" htmlFor={againId}>
            Repeat the new passphrase
          </label>
          <PasswordInput id={againId} value={again} onChange={setAgain} autoComplete="new-password" invalid={problem?.field === 'next' && next !== again} />
        </div>
        {problem ? (
          <p id={errorId} className="form-error" role="alert">
            {problem.message}
          </p>
        ) : null}
        <DialogFooter onCancel={onClose} action={{ label: 'Change passphrase', busyLabel: 'Changing…', busy }} />
      </form>
    </Dialog>
  );
}
