import { useState } from 'react';
import type { AgentInfo } from '../../../preload/contract';
import { WarningIcon } from '../components/Icons';
import { useBridge } from '../hooks/useBridge';
import { failureOf } from '../bridge/bridge-error';

/**
 * An agent whose CLI hit its account's usage limit: the CLI's words, when it resets, and a way to go on
 * with another account of the same provider (the agent restarts there and resumes its conversation).
 */
export function UsageLimitNotice({ agent }: { agent: AgentInfo }) {
  const bridge = useBridge();
  const [busy, setBusy] = useState<string>();
  const [problem, setProblem] = useState<string>();
  const limit = agent.usageLimit;
  if (!limit) return null;
  const moved = limit.movedFrom && agent.account !== limit.movedFrom;
  return (
    <div className="usage-limit" role="status" data-testid="usage-limit">
      <p className="usage-limit-text">
        <WarningIcon size={13} />
        <span>
          {moved ? `Moved from ${limit.movedFrom} after: ` : ''}
          {limit.message}
          {limit.resetText && !limit.message.includes(limit.resetText) ? ` · resets ${limit.resetText}` : ''}
        </span>
      </p>
      {limit.alternatives.length > 0 ? (
        <div className="usage-limit-actions">
          {limit.alternatives.slice(0, 2).map((account) => (
            <button
              key={account}
              type="button"
              className="button button-small button-secondary"
              disabled={busy !== undefined}
              onClick={() => {
                setBusy(account);
                setProblem(undefined);
                void bridge
                  .call('agents.continueOn', { name: agent.name, account })
                  .catch((error: unknown) => setProblem(failureOf(error).message))
                  .finally(() => setBusy(undefined));
              }}
            >
              {busy === account ? 'Moving…' : `Continue on ${account}`}
            </button>
          ))}
        </div>
      ) : null}
      {problem ? (
        <p className="form-error" role="alert">
          {problem}
        </p>
      ) : null}
    </div>
  );
}
