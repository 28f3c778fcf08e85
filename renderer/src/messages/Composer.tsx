import { useId, useState } from 'react';
import type { AgentInfo, RelayMessage } from '../../../preload/contract';
import { BridgeCallError } from '../bridge';
import { SendIcon, WarningIcon } from '../components/Icons';
import { useBridge } from '../hooks/useBridge';
import { IS_MAC } from '../hooks/useShortcuts';

/** Sends a message as the human to one agent or to all; a refusal is shown and the text kept. */
export function Composer({ agents, onSent }: { agents: ReadonlyArray<AgentInfo>; onSent: (message: RelayMessage) => void }) {
  const bridge = useBridge();
  const [to, setTo] = useState('');
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const ids = { to: useId(), body: useId(), hint: useId() };
  const recipient = to || agents[0]?.name || '*';

  const send = async () => {
    if (busy || body.trim() === '') return;
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
      <div className="composer-row">
        <label className="composer-to">
          <span className="composer-label">To</span>
          <select id={ids.to} className="input select" value={recipient} onChange={(e) => setTo(e.target.value)}>
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
          placeholder={recipient === '*' ? 'Message every agent…' : `Message ${recipient}…`}
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
        <button type="submit" className="button button-primary composer-send" disabled={busy || body.trim() === ''}>
          <SendIcon size={15} /> Send
        </button>
      </div>
      <p className="composer-hint" id={ids.hint}>
        <kbd>{IS_MAC ? '⌘' : 'Ctrl'}+Enter</kbd> sends. The agent gets it as typed input once it is idle.
      </p>
    </form>
  );
}
