import { useCallback, useEffect, useRef, useState } from 'react';
import type { AccountView, SignInMethod, SignInProgress } from '../../../preload/contract';
import { useBridge } from '../hooks/useBridge';
import { failureOf } from '../bridge/bridge-error';

export type FlowMethod = Exclude<SignInMethod, 'api-key'>;

/** What the sign-in dialog shows: the daemon's latest progress, or a refusal before any flow began. */
export interface FlowView {
  readonly method: FlowMethod;
  readonly progress: SignInProgress;
  /** When the current phase began here (for the browser flow's 5-minute countdown). */
  readonly phaseSince: number;
}

export interface SignInFlow {
  readonly flow: FlowView | undefined;
  /** With an account: sign that account in again (it keeps its name and, for CLI logins, its folder). */
  start(method: FlowMethod, account?: string): Promise<void>;
  cancel(): Promise<void>;
  /** Hands the pasted code to the daemon; a refusal comes back as a value and the flow stays open. */
  submitCode(code: string): Promise<{ ok: true; account: AccountView } | { ok: false; message: string }>;
  /** Forgets a finished flow (closing the dialog after an error or success). */
  dismiss(): void;
}

const RUNNING: ReadonlyArray<SignInProgress['phase']> = ['starting', 'open-url', 'device-code', 'need-code'];
export const isRunning = (progress: SignInProgress): boolean => RUNNING.includes(progress.phase);

/**
 * One sign-in at a time for one provider. Progress events can arrive before the `providers.connect`
 * reply names the flow, so the listener is up first and keeps the early ones until the id is known.
 */
export function useSignInFlow(providerId: string): SignInFlow {
  const bridge = useBridge();
  const [flow, setFlow] = useState<FlowView>();
  const flowId = useRef<string | undefined>(undefined);
  const early = useRef<SignInProgress[]>([]);
  const waitingForId = useRef(false);

  const show = useCallback((method: FlowMethod, progress: SignInProgress) => {
    setFlow((current) => ({
      method,
      progress,
      phaseSince: current && current.progress.phase === progress.phase && current.progress.flowId === progress.flowId ? current.phaseSince : Date.now(),
    }));
  }, []);

  useEffect(
    () =>
      bridge.on('providers.signIn', (progress) => {
        if (progress.provider !== providerId) return;
        if (waitingForId.current) {
          early.current.push(progress);
          return;
        }
        if (progress.flowId === flowId.current) show(progress.method as FlowMethod, progress);
      }),
    [bridge, providerId, show],
  );

  // A flow left running when the card goes away (page change) is cancelled, not orphaned.
  useEffect(
    () => () => {
      if (flowId.current) void bridge.call('providers.cancel', flowId.current).catch(() => undefined);
    },
    [bridge],
  );

  const start = useCallback(
    async (method: FlowMethod, account?: string) => {
      const previous = flowId.current;
      if (previous) void bridge.call('providers.cancel', previous).catch(() => undefined);
      flowId.current = undefined;
      early.current = [];
      waitingForId.current = true;
      show(method, { flowId: '', provider: providerId, method, phase: 'starting' });
      try {
        const reply = await bridge.call('providers.connect', { provider: providerId, method, ...(account ? { account } : {}) });
        flowId.current = reply.flowId;
        const seen = early.current.filter((p) => p.flowId === reply.flowId);
        const latest = seen[seen.length - 1];
        if (latest) show(method, latest);
      } catch (error) {
        show(method, { flowId: '', provider: providerId, method, phase: 'error', error: failureOf(error) });
      } finally {
        waitingForId.current = false;
        early.current = [];
      }
    },
    [bridge, providerId, show],
  );

  const cancel = useCallback(async () => {
    const id = flowId.current;
    flowId.current = undefined;
    setFlow(undefined);
    if (id) await bridge.call('providers.cancel', id).catch(() => undefined);
  }, [bridge]);

  const submitCode = useCallback(
    async (code: string) => {
      const id = flowId.current;
      if (!id) return { ok: false as const, message: 'That sign-in is not waiting for a code any more; start a new one.' };
      try {
        return { ok: true as const, account: await bridge.call('providers.submitCode', { flowId: id, code }) };
      } catch (error) {
        return { ok: false as const, message: failureOf(error).message };
      }
    },
    [bridge],
  );

  const dismiss = useCallback(() => {
    flowId.current = undefined;
    setFlow(undefined);
  }, []);

  return { flow, start, cancel, submitCode, dismiss };
}
