import { useCallback, useEffect, useState } from 'react';
import type { RelayMessage } from '../../../preload/contract';
import { useBridge } from '../hooks/useBridge';
import { useConnection } from '../hooks/useConnection';

export interface HistoryFilter {
  readonly agent?: string;
  readonly thread?: string;
}

const PAGE_SIZE = 50;

const newestFirst = (a: RelayMessage, b: RelayMessage) => b.ts - a.ts || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** Whether a live message belongs in the list under this filter (the daemon filters history alike). */
function matches(message: RelayMessage, filter: HistoryFilter): boolean {
  if (filter.thread && message.thread !== filter.thread && message.id !== filter.thread) return false;
  if (!filter.agent) return true;
  const agent = filter.agent.toLowerCase();
  return [message.from, message.to, ...message.recipients].some((name) => name.toLowerCase() === agent);
}

export interface RelayHistory {
  readonly messages: ReadonlyArray<RelayMessage> | undefined;
  readonly hasOlder: boolean;
  readonly loadingOlder: boolean;
  readonly error: string | undefined;
  loadOlder(): void;
  /** Shows a message at once (the reply to a send), before its event arrives. */
  upsert(message: RelayMessage): void;
}

/** The message log, newest first, paged backwards; live messages inserted or updated in place by id. */
export function useRelayHistory(filter: HistoryFilter): RelayHistory {
  const bridge = useBridge();
  const connection = useConnection();
  const [messages, setMessages] = useState<ReadonlyArray<RelayMessage>>();
  const [cursor, setCursor] = useState<string>();
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [error, setError] = useState<string>();
  const { agent, thread } = filter;

  const upsert = useCallback(
    (message: RelayMessage) => {
      if (!matches(message, { agent, thread })) return;
      setMessages((list) => {
        if (!list) return list;
        const index = list.findIndex((m) => m.id === message.id);
        if (index >= 0) return list.map((m, i) => (i === index ? message : m));
        return [message, ...list].sort(newestFirst);
      });
    },
    [agent, thread],
  );

  useEffect(() => bridge.on('relay.message', upsert), [bridge, upsert]);

  useEffect(() => {
    if (connection !== 'open') return;
    let live = true;
    setMessages(undefined);
    bridge.call('relay.history', { ...(agent ? { agent } : {}), ...(thread ? { thread } : {}), limit: PAGE_SIZE }).then(
      (page) => {
        if (!live) return;
        setMessages(page.items.slice().sort(newestFirst));
        setCursor(page.nextCursor);
        setError(undefined);
      },
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [bridge, connection, agent, thread]);

  const loadOlder = useCallback(() => {
    if (!cursor || loadingOlder) return;
    setLoadingOlder(true);
    bridge
      .call('relay.history', { ...(agent ? { agent } : {}), ...(thread ? { thread } : {}), before: cursor, limit: PAGE_SIZE })
      .then(
        (page) => {
          setMessages((list) => {
            const known = new Set(list?.map((m) => m.id));
            return [...(list ?? []), ...page.items.filter((m) => !known.has(m.id))].sort(newestFirst);
          });
          setCursor(page.nextCursor);
        },
        (e: Error) => setError(e.message),
      )
      .finally(() => setLoadingOlder(false));
  }, [bridge, cursor, loadingOlder, agent, thread]);

  return { messages, hasOlder: cursor !== undefined, loadingOlder, error, loadOlder, upsert };
}
