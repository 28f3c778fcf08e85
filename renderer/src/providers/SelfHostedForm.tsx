import { useId, useState } from 'react';
import type { ProviderView } from '../../../preload/contract';
import { useBridge } from '../hooks/useBridge';
import { failureOf } from '../bridge/bridge-error';

/** A local endpoint: its address and an optional key, checked by listing its models. */
export function SelfHostedForm({ provider, disabled, onDone }: { provider: ProviderView; disabled: boolean; onDone?: () => void }) {
  const bridge = useBridge();
  const [baseUrl, setBaseUrl] = useState(provider.defaultBaseUrl ?? '');
  const [apiKey, setApiKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const urlId = useId();
  const keyId = useId();
  const errorId = useId();
  return (
    <form
      className="self-hosted-form"
      onSubmit={(event) => {
        event.preventDefault();
        setBusy(true);
        setFailure(undefined);
        bridge
          .call('providers.connectSelfHosted', { provider: provider.id, baseUrl: baseUrl.trim(), ...(apiKey ? { apiKey } : {}) })
          .then(
            () => {
              setBusy(false);
              setApiKey('');
              onDone?.();
            },
            (error: unknown) => {
              setBusy(false);
              setFailure(failureOf(error).message);
            },
          );
      }}
    >
      <div className="self-hosted-fields">
        <div className="form-field">
          <label className="form-label" htmlFor={urlId}>
            Base URL
          </label>
          <input
            id={urlId}
            className="input input-block input-mono"
            type="url"
            required
            value={baseUrl}
            spellCheck={false}
            aria-invalid={failure ? true : undefined}
            aria-describedby={failure ? errorId : undefined}
            onChange={(event) => setBaseUrl(event.target.value)}
          />
        </div>
        <div className="form-field">
          <label className="form-label" htmlFor={keyId}>
            API key<span className="form-optional">optional</span>
          </label>
          <input id={keyId} className="input input-block input-mono" type="password" autoComplete="off" value={apiKey} onChange={(event) => setApiKey(event.target.value)} />
        </div>
        <button type="submit" className="button button-primary self-hosted-submit" disabled={disabled || busy || !baseUrl.trim()}>
          {busy ? 'Checking…' : 'Check and connect'}
        </button>
      </div>
      {failure ? (
        <p id={errorId} className="form-error" role="alert">
          {failure}
        </p>
      ) : null}
    </form>
  );
}
