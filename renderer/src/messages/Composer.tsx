import { useEffect, useId, useState } from 'react';
import type { AgentInfo, RelayMessage } from '../../../preload/contract';
import { BridgeCallError } from '../bridge';
import { SendIcon, WarningIcon } from '../components/Icons';
import { useBridge } from '../hooks/useBridge';
import { IS_MAC } from '../hooks/useShortcuts';

/** Sends a message as the human to one agent or to all; a refusal is shown and the text kept. */
export function Composer({ agents, onSent }: { agents: ReadonlyArray<AgentInfo>; onSent: (message: RelayMessage) => void }) {
  const bridge = useBridge();
  // undefined until the user picks: the first agent is shown. '' after the one shown went away.
  const [to, setTo] = useState<string>();
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const ids = { to: useId(), body: useId(), hint: useId() };
  const present = (name: string) => name === '*' || agents.some((agent) => agent.name === name);
  // What the picker shows is what Send uses: one value, never a name that is no longer listed.
  const recipient = to === undefined ? (agents[0]?.name ?? '*') : present(to) ? to : '';

  // The recipient shown disappeared (removed in another window, say): clear it and say so.
  const [shown, setShown] = useState(recipient);
  useEffect(() => {
    if (recipient === shown) return;
    if (shown !== '' && !present(shown)) {
      setTo('');
      setNotice(`${shown} is no longer an agent here. Choose who gets this message.`);
    }
    setShown(recipient);
  });

  const send = async () => {
    if (busy || body.trim() === '' || recipient === '') return;
    setBusy(true);
    setFailure(undefined);
    try {
      const message = await bridge.call('relay.send', { to: recipient, body });
      onSent(message);
      setBody('');
    } catch (error) {
      setFailure(error instanceof BridgeCallError ? error.message : (error as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="composer"
      aria-label="Send a message"
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      {failure ? (
        <p className="composer-error" role="alert" data-testid="composer-error">
          <WarningIcon size={15} /> {failure}
        </p>
      ) : null}
      <p className="composer-notice" role="status" data-testid="composer-notice" hidden={!notice}>
        {notice ? (
          <>
            <WarningIcon size={15} /> {notice}
          </>
        ) : null}
      </p>
      <div className="composer-row">
        <label className="composer-to">
          <span className="composer-label">To</span>
          <select
            id={ids.to}
            className="input select"
            value={recipient}
            title={recipient === '*' ? 'All agents' : recipient}
            aria-invalid={recipient === '' || undefined}
            onChange={(e) => {
              setTo(e.target.value);
              setNotice(undefined);
            }}
          >
            {recipient === '' ? (
              <option value="" disabled>
                Choose an agent
              </option>
            ) : null}
            {agents.map((agent) => (
              <option key={agent.name} value={agent.name}>
                {agent.name}
              </option>
            ))}
            <option value="*">All agents (*)</option>
          </select>
        </label>
        <textarea
          id={ids.body}
          className="input textarea composer-body"
          rows={2}
          value={body}
          placeholder={recipient === '*' ? 'Message every agent…' : recipient === '' ? 'Choose who gets this message first' : `Message ${recipient}…`}
          aria-label="Message"
          aria-describedby={ids.hint}
          onChange={(e) => setBody(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              void send();
            }
          }}
        />
        <button type="submit" className="button button-primary composer-send" disabled={busy || body.trim() === '' || recipient === ''}>
          <SendIcon size={15} /> Send
        </button>
      </div>
      <p className="composer-hint" id={ids.hint}>
        <kbd>{IS_MAC ? '⌘' : 'Ctrl'}+Enter</kbd> sends. The agent gets it as typed input once it is idle.
      </p>
    </form>
  );
}
