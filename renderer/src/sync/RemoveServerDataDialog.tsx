import { useId, useState } from 'react';
import { Dialog } from '../components/Dialog';
import { DialogFooter } from '../components/DialogFooter';
import { useBridge } from '../hooks/useBridge';
import { failureOf } from '../bridge/bridge-error';
import { useFocusOnOpen } from '../hooks/useFocusOnOpen';

const CONFIRM_WORD = 'REMOVE';

/** The danger zone's confirmation: the user types REMOVE before the server forgets their data. */
export function RemoveServerDataDialog({ server, onClose, onRemoved }: { server: string | undefined; onClose: () => void; onRemoved: () => void }) {
  const bridge = useBridge();
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const fieldId = useId();
  const hintId = useId();
  const errorId = useId();
  const field = useFocusOnOpen<HTMLInputElement>();
  const confirmed = typed.trim() === CONFIRM_WORD;
  return (
    <Dialog title="Remove my data from the server?" onClose={onClose} className="dialog-small" testId="sync-remove-dialog">
      <form
        className="dialog-body"
        onSubmit={(event) => {
          event.preventDefault();
          if (!confirmed) return;
          setBusy(true);
          setFailure(undefined);
          bridge.call('sync.removeServerData', { confirm: true }).then(
            () => {
              onRemoved();
              onClose();
            },
            (error: unknown) => {
              setBusy(false);
              setFailure(failureOf(error).message);
            },
          );
        }}
      >
        <div className="dialog-text">
          <p>
            {server ?? 'The sync server'} deletes your encrypted vault, its key envelope and the list of your devices. Sync turns off on every device; the logins
            stored on each device stay there.
          </p>
        </div>
        <div className="form-field">
          <label className="form-label" htmlFor={fieldId}>
            Type {CONFIRM_WORD} to confirm
          </label>
          <input
            id={fieldId}
            ref={field}
            className="input input-block input-mono"
            value={typed}
            autoComplete="off"
            spellCheck={false}
            aria-describedby={failure ? `${hintId} ${errorId}` : hintId}
            onChange={(event) => setTyped(event.target.value)}
          />
          <p className="form-hint" id={hintId}>
            This cannot be undone.
          </p>
        </div>
        {failure ? (
          <p id={errorId} className="form-error" role="alert">
            {failure}
          </p>
        ) : null}
        <DialogFooter onCancel={onClose} action={{ label: 'Remove my data', busyLabel: 'Removing…', busy, disabled: !confirmed, tone: 'danger' }} />
      </form>
    </Dialog>
  );
}
