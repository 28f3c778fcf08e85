import { useId, useState } from 'react';
import type { ProviderView } from '../../../preload/contract';
import { Dialog } from '../components/Dialog';
import { DialogFooter } from '../components/DialogFooter';
import { useBridge } from '../hooks/useBridge';
import { failureOf } from '../bridge/bridge-error';
import { EyeIcon, EyeOffIcon } from '../components/Icons';
import { useFocusOnOpen } from '../hooks/useFocusOnOpen';

/** "Use an API key instead": the key (hidden unless shown), a label, Save. */
export function ApiKeyDialog({ provider, onClose }: { provider: ProviderView; onClose: () => void }) {
  const bridge = useBridge();
  const [apiKey, setApiKey] = useState('');
  const [label, setLabel] = useState('');
  const [visible, setVisible] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const keyId = useId();
  const keyField = useFocusOnOpen<HTMLInputElement>();
  const labelId = useId();
  const errorId = useId();
  const tooShort = apiKey.trim().length > 0 && apiKey.trim().length < 8;
  return (
    <Dialog
      title={`Add a ${provider.name} API key`}
      description="Agents use your sign-in by default; a key is for when you need one. It is stored encrypted and never shown again."
      onClose={onClose}
      testId="api-key-dialog"
    >
      <form
        className="dialog-body"
        onSubmit={(event) => {
          event.preventDefault();
          setBusy(true);
          setFailure(undefined);
          bridge
            .call('providers.saveApiKey', { provider: provider.id, apiKey: apiKey.trim(), ...(label.trim() ? { account: label.trim() } : {}) })
            .then(onClose, (error: unknown) => {
              setBusy(false);
              setFailure(failureOf(error).message);
            });
        }}
      >
        <div className="form-field">
          <label className="form-label" htmlFor={keyId}>
            API key
          </label>
          <div className="input-row">
            <input
              id={keyId}
              className="input input-block input-mono"
              type={visible ? 'text' : 'password'}
              value={apiKey}
              autoComplete="off"
              spellCheck={false}
              aria-invalid={failure || tooShort ? true : undefined}
              aria-describedby={failure ? errorId : undefined}
              onChange={(event) => setApiKey(event.target.value)}
              ref={keyField}
            />
            <button
              type="button"
              className="icon-button icon-button-bordered input-reveal"
              aria-label={visible ? 'Hide key' : 'Show key'}
              aria-pressed={visible}
              onClick={() => setVisible(!visible)}
            >
              {visible ? <EyeOffIcon /> : <EyeIcon />}
            </button>
          </div>
          {tooShort ? <p className="form-hint">A key is at least 8 characters.</p> : null}
        </div>
        <div className="form-field">
          <label className="form-label" htmlFor={labelId}>
            Account label<span className="form-optional">optional</span>
          </label>
          <input id={labelId} className="input input-block" value={label} maxLength={80} placeholder="API key" onChange={(event) => setLabel(event.target.value)} />
          <p className="form-hint">How this key appears on the card, e.g. “Work”.</p>
        </div>
        {failure ? (
          <p id={errorId} className="form-error" role="alert">
            {failure}
          </p>
        ) : null}
        <DialogFooter onCancel={onClose} action={{ label: 'Save key', busyLabel: 'Saving…', busy, disabled: apiKey.trim().length < 8 }} />
      </form>
    </Dialog>
  );
}
