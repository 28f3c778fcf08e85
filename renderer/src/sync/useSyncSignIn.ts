import { useCallback, useEffect, useRef, useState } from 'react';
import type { SignInProgress } from '../../../preload/contract';
import { useBridge } from '../hooks/useBridge';
import { failureOf } from '../bridge/bridge-error';

export interface SyncSignIn {
  /** The latest progress of the sign-in this window started; undefined when none is shown. */
  readonly progress: SignInProgress | undefined;
  /** A refusal of the request itself (bad or insecure address): shown under the field. */
  readonly refusal: { code: string; message: string } | undefined;
  start(server: string, allowInsecureHttp: boolean): Promise<void>;
  cancel(): Promise<void>;
  dismiss(): void;
}

const RUNNING: ReadonlyArray<SignInProgress['phase']> = ['starting', 'open-url', 'device-code', 'need-code'];
export const isSignInRunning = (progress: SignInProgress): boolean => RUNNING.includes(progress.phase);

/**
 * The sync server's device-code sign-in. Events can beat the `sync.login` reply, so the listener
 * is up before the call and keeps the early ones until the flow id is known.
 */
export function useSyncSignIn(): SyncSignIn {
  const bridge = useBridge();
  const [progress, setProgress] = useState<SignInProgress>();
  const [refusal, setRefusal] = useState<{ code: string; message: string }>();
  const flowId = useRef<string | undefined>(undefined);
  const early = useRef<SignInProgress[]>([]);
  const waitingForId = useRef(false);

  useEffect(
    () =>
      bridge.on('sync.signIn', (next) => {
        if (waitingForId.current) {
          early.current.push(next);
          return;
        }
        if (next.flowId === flowId.current) setProgress(next);
      }),
    [bridge],
  );

  // Leaving the page cancels a sign-in still waiting for approval rather than orphaning it.
  useEffect(
    () => () => {
      if (flowId.current) void bridge.call('sync.cancel', flowId.current).catch(() => undefined);
    },
    [bridge],
  );

  const start = useCallback(
    async (server: string, allowInsecureHttp: boolean) => {
      const previous = flowId.current;
      if (previous) void bridge.call('sync.cancel', previous).catch(() => undefined);
      flowId.current = undefined;
      early.current = [];
      waitingForId.current = true;
      setRefusal(undefined);
      setProgress({ flowId: '', provider: 'agent-relay-cloud', method: 'device', phase: 'starting' });
      try {
        const reply = await bridge.call('sync.login', { server, ...(allowInsecureHttp ? { allowInsecureHttp } : {}) });
        flowId.current = reply.flowId;
        const seen = early.current.filter((p) => p.flowId === reply.flowId);
        const latest = seen[seen.length - 1];
        if (latest) setProgress(latest);
      } catch (error) {
        setProgress(undefined);
        setRefusal(failureOf(error));
      } finally {
        waitingForId.current = false;
        early.current = [];
      }
    },
    [bridge],
  );

  const cancel = useCallback(async () => {
    const id = flowId.current;
    flowId.current = undefined;
    setProgress(undefined);
    if (id) await bridge.call('sync.cancel', id).catch(() => undefined);
  }, [bridge]);

  const dismiss = useCallback(() => {
    flowId.current = undefined;
    setProgress(undefined);
  }, []);

  return { progress, refusal, start, cancel, dismiss };
}
