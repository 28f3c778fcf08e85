import { useState, type KeyboardEvent } from 'react';
import { BridgeCallError } from '../bridge';

/**
 * A dialog form's submission: `submitted` once tried (so empty fields start complaining), `busy` while
 * the daemon works, its refusal kept as `failure` for as long as the form still holds what was refused
 * (fix the command and "Command … was not found" goes), and Ctrl/Cmd+Enter submitting from any field.
 * `request` returns undefined while the draft is not valid.
 */
export function useFormSubmission<R>(request: () => R | undefined, send: (request: R) => Promise<void>) {
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState<{ error: BridgeCallError; request: string }>();
  const current = request();
  const failure = refused && refused.request === JSON.stringify(current) ? refused.error : undefined;

  const submit = async () => {
    setSubmitted(true);
    const ready = request();
    if (ready === undefined || busy) return;
    setBusy(true);
    setRefused(undefined);
    try {
      await send(ready);
    } catch (error) {
      setRefused({
        error: error instanceof BridgeCallError ? error : new BridgeCallError('internal', (error as Error).message),
        request: JSON.stringify(ready),
      });
    } finally {
      setBusy(false);
    }
  };
  // In multi-line fields Enter is a new line; Ctrl/Cmd+Enter submits from anywhere.
  const submitOnModEnter = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void submit();
    }
  };
  return { submitted, busy, failure, submit, submitOnModEnter };
}
