import { useEffect, useRef } from 'react';
import type { BridgeCallError } from '../bridge';
import { WarningIcon } from '../components/Icons';

/** Refusals the user fixes on the Providers page. */
const PROVIDER_CODES: ReadonlySet<string> = new Set(['provider_not_connected', 'needs_signin']);

/** The daemon's refusal, shown in the dialog above its footer (the draft stays as typed). */
export function SpawnFailure({ failure, title }: { failure: BridgeCallError; title: string }) {
  const ref = useRef<HTMLDivElement>(null);
  // Braces: newer Chromium returns a Promise from scrollIntoView, which React would take for a cleanup.
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'nearest' });
  }, [failure]);
  return (
    <div ref={ref} className="form-failure" role="alert" data-testid="spawn-error" data-code={failure.code}>
      <WarningIcon size={18} />
      <div>
        <p className="form-failure-title">{title}</p>
        <p className="form-failure-text">{failure.message}</p>
        {PROVIDER_CODES.has(failure.code) ? (
          <a className="form-link form-failure-link" href="#/providers">
            Open the Providers page
          </a>
        ) : null}
      </div>
    </div>
  );
}
