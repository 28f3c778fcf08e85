import { useId, useState } from 'react';
import { SegmentedControl, type Segment } from '../components/SegmentedControl';
import { WarningIcon } from '../components/Icons';
import { ParsedCommandPreview } from './ParsedCommandPreview';
import { accountOptionLabel, providerOptionLabel, type CliProviderChoice } from './provider-clis';
import { resolveRuns, type RunsCheck, type RunsDraft, type RunsMode } from './runs-form';

const MODES: ReadonlyArray<Segment<RunsMode>> = [
  { value: 'provider', label: 'A provider’s CLI' },
  { value: 'command', label: 'A command' },
];

/**
 * What an agent runs: a provider's CLI (provider, account, the flag for acting without asking, extra
 * arguments) or any command line. Shared by the New agent and Start a team dialogs.
 */
export function RunsFields({
  draft,
  onChange,
  choices,
  check,
  showErrors,
  commandPlaceholder = 'claude --model sonnet',
}: {
  draft: RunsDraft;
  onChange: (patch: Partial<RunsDraft>) => void;
  choices: ReadonlyArray<CliProviderChoice>;
  check: RunsCheck;
  /** Complain about an empty or unfinished field (after submit, or once it was left). */
  showErrors: boolean;
  commandPlaceholder?: string;
}) {
  const base = useId();
  const ids = { provider: `${base}-provider`, account: `${base}-account`, skip: `${base}-skip`, extra: `${base}-extra`, command: `${base}-command`, preview: `${base}-preview` };
  const resolved = resolveRuns(draft, choices);
  const { provider, account } = resolved;
  const error = (field: 'provider' | 'extraArgs' | 'commandLine') => (!check.ok && check.field === field ? check.error : undefined);
  // A command half typed (an open quote) only complains once the field is left.
  const [commandLeft, setCommandLeft] = useState(false);
  const commandError = showErrors || (commandLeft && draft.commandLine !== '') ? error('commandLine') : undefined;
  const extraError = error('extraArgs');
  const providerError = showErrors ? error('provider') : undefined;
  const notConnected = choices.filter((c) => !c.connected);

  return (
    <>
      <div className="form-field">
        <span className="form-label" aria-hidden="true">
          Runs
        </span>
        <SegmentedControl label="Runs" value={resolved.mode} segments={MODES} onChange={(mode) => onChange({ mode })} />
      </div>

      {resolved.mode === 'provider' ? (
        <div className="runs-panel" data-testid="runs-provider">
          <div className="form-grid">
            <div className="form-field">
              <label htmlFor={ids.provider} className="form-label">
                Provider
              </label>
              <select
                id={ids.provider}
                className="input input-block select"
                value={provider?.id ?? ''}
                aria-invalid={providerError ? true : undefined}
                aria-describedby={`${ids.provider}-msg`}
                onChange={(e) => onChange({ provider: e.target.value, account: undefined })}
              >
                {provider ? null : <option value="">No provider connected</option>}
                {choices.map((choice) => (
                  <option key={choice.id} value={choice.id} disabled={!choice.connected}>
                    {providerOptionLabel(choice)}
                  </option>
                ))}
              </select>
            </div>
            {provider && provider.accounts.length > 1 ? (
              <div className="form-field">
                <label htmlFor={ids.account} className="form-label">
                  Account
                </label>
                <select
                  id={ids.account}
                  className="input input-block select"
                  value={account?.accountId ?? ''}
                  onChange={(e) => onChange({ account: e.target.value })}
                >
                  {provider.accounts.map((a) => (
                    <option key={a.accountId} value={a.accountId}>
                      {accountOptionLabel(a)}
                    </option>
                  ))}
                </select>
              </div>
            ) : null}
          </div>
          <p id={`${ids.provider}-msg`} className={providerError ? 'form-error' : 'form-hint'} role={providerError ? 'alert' : undefined}>
            {providerError ??
              (provider && account
                ? `Runs ${provider.cli.command} with the account ${account.email ?? `“${account.name}”`}, in a config home of its own.`
                : 'Only a connected provider can run an agent.')}{' '}
            {notConnected.length ? (
              <a className="form-link" href="#/providers">
                {provider ? 'Connect another on the Providers page' : 'Connect one on the Providers page'}
              </a>
            ) : null}
          </p>
          {account && account.state !== 'connected' ? (
            <p className="form-caution" role="note">
              <WarningIcon size={14} /> {account.stateReason ?? `${account.name} needs you to sign in again on the Providers page.`}
            </p>
          ) : null}

          <div className="form-field">
            <label className="checkbox-field" htmlFor={ids.skip}>
              <input
                id={ids.skip}
                type="checkbox"
                className="checkbox"
                checked={draft.skipPermissions}
                disabled={!provider}
                aria-describedby={`${ids.skip}-msg`}
                onChange={(e) => onChange({ skipPermissions: e.target.checked })}
              />
              <span>
                Let it act without asking {provider ? <code className="flag-code">{provider.cli.skipFlag}</code> : null}
              </span>
            </label>
            <p id={`${ids.skip}-msg`} className={draft.skipPermissions ? 'form-caution' : 'form-hint checkbox-hint'}>
              {draft.skipPermissions ? <WarningIcon size={14} /> : null}
              It runs commands and changes files without asking you first. Use it only in a folder you can afford to lose.
            </p>
          </div>

          <div className="form-field">
            <label htmlFor={ids.extra} className="form-label">
              Extra arguments <span className="form-optional">optional</span>
            </label>
            <input
              id={ids.extra}
              className="input input-block input-mono"
              value={draft.extraArgs}
              autoComplete="off"
              spellCheck={false}
              placeholder="--model opus"
              aria-invalid={extraError ? true : undefined}
              aria-describedby={`${ids.extra}-msg ${ids.preview}`}
              onChange={(e) => onChange({ extraArgs: e.target.value })}
            />
            {extraError ? (
              <p id={`${ids.extra}-msg`} className="form-error" role="alert">
                {extraError}
              </p>
            ) : check.ok ? (
              <ParsedCommandPreview parsed={check.preview} id={ids.preview} label="Starts" />
            ) : (
              <p id={`${ids.extra}-msg`} className="form-hint">
                Added after the CLI’s own arguments, as in a shell: quote words with spaces.
              </p>
            )}
          </div>
        </div>
      ) : (
        <div className="form-field">
          <label htmlFor={ids.command} className="form-label">
            Command
          </label>
          <input
            id={ids.command}
            className="input input-block input-mono"
            value={draft.commandLine}
            autoComplete="off"
            spellCheck={false}
            placeholder={commandPlaceholder}
            aria-invalid={commandError ? true : undefined}
            aria-describedby={`${ids.command}-msg ${ids.preview}`}
            onChange={(e) => onChange({ commandLine: e.target.value })}
            onBlur={() => setCommandLeft(true)}
          />
          {commandError ? (
            <p id={`${ids.command}-msg`} className="form-error" role="alert">
              {commandError}
            </p>
          ) : check.ok ? (
            <ParsedCommandPreview parsed={check.preview} id={ids.preview} />
          ) : (
            <p id={`${ids.command}-msg`} className="form-hint">
              The program and its arguments, as in a shell: quote words with spaces.
            </p>
          )}
        </div>
      )}
    </>
  );
}
