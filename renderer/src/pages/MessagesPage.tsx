import { useMemo, useState } from 'react';
import type { AgentInfo } from '../../../preload/contract';
import { countText } from '../components/count-text';
import { EmptyState } from '../components/EmptyState';
import { CloseIcon } from '../components/Icons';
import { MessagesIllustration } from '../components/Illustrations';
import { PageHeader } from '../components/PageHeader';
import { Composer } from '../messages/Composer';
import { MessageRow } from '../messages/MessageRow';
import { useRelayHistory, type HistoryFilter } from '../messages/useRelayHistory';

/** The relay's message log, newest first, with filters and a box to send as the human. */
export function MessagesPage({ agents }: { agents: ReadonlyArray<AgentInfo> | undefined }) {
  const [filter, setFilter] = useState<HistoryFilter>({});
  const history = useRelayHistory(filter);
  const { messages } = history;

  const names = useMemo(() => {
    const all = new Set<string>((agents ?? []).map((a) => a.name));
    for (const m of messages ?? []) if (m.origin === 'agent') all.add(m.from);
    if (filter.agent) all.add(filter.agent);
    return [...all].sort((a, b) => a.localeCompare(b));
  }, [agents, messages, filter.agent]);

  const filtered = filter.agent !== undefined || filter.thread !== undefined;
  const showEmpty = messages !== undefined && messages.length === 0 && !filtered;

  return (
    <div className="page page-wide page-messages">
      <PageHeader title="Messages" description="What your agents say to each other, and what you send them." />
      {showEmpty ? (
        <EmptyState illustration={<MessagesIllustration />} title="No messages yet">
          <p>Messages agents send each other appear here, newest first, with who sent them and when they were delivered.</p>
          <p className="empty-state-hint">
            An agent sends one by printing <code>-&gt;relay:Name message</code>, or <code>-&gt;relay:* message</code> to
            reach every agent.
          </p>
        </EmptyState>
      ) : (
        <>
          <div className="filter-bar" role="group" aria-label="Filter messages">
            <label className="filter-field">
              <span className="filter-label">Agent</span>
              <select
                className="input select"
                value={filter.agent ?? ''}
                onChange={(e) => setFilter((f) => ({ ...f, agent: e.target.value || undefined }))}
              >
                <option value="">All agents</option>
                {names.map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </select>
            </label>
            {filter.thread ? (
              <span className="thread-chip thread-chip-active" data-testid="thread-filter">
                Thread # {filter.thread.slice(-6)}
                <button type="button" className="icon-button" aria-label="Show all threads" onClick={() => setFilter((f) => ({ ...f, thread: undefined }))}>
                  <CloseIcon size={12} />
                </button>
              </span>
            ) : (
              <span className="filter-hint">Click a thread tag to follow one conversation.</span>
            )}
            <span className="filter-count">{messages ? (history.hasOlder ? `${messages.length}+ messages` : countText(messages.length, 'message')) : ''}</span>
          </div>
          {history.error ? (
            <p className="inline-alert" role="alert">
              {history.error}
            </p>
          ) : null}
          {messages === undefined ? (
            <p className="loading-line" role="status">
              Loading messages…
            </p>
          ) : messages.length === 0 ? (
            <p className="list-empty">No messages match this filter.</p>
          ) : (
            <ol className="message-list" aria-label="Messages, newest first">
              {messages.map((message) => (
                <MessageRow key={message.id} message={message} activeThread={filter.thread} onThread={(thread) => setFilter((f) => ({ ...f, thread }))} />
              ))}
            </ol>
          )}
          {history.hasOlder ? (
            <div className="load-older">
              <button type="button" className="button button-secondary" disabled={history.loadingOlder} onClick={history.loadOlder}>
                {history.loadingOlder ? 'Loading…' : 'Load older'}
              </button>
            </div>
          ) : null}
        </>
      )}
      <Composer agents={agents ?? []} onSent={history.upsert} />
    </div>
  );
}
