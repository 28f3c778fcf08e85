import crypto from 'node:crypto';
import type { SignInMethod, SignInProgress } from '../../../preload/contract.js';
import type { AuthFlowEvent } from './flow-events.js';

/** A step of a sign-in as the caller reports it; the flow keeps the rest of what the user was shown. */
export type ProgressUpdate = Partial<SignInProgress> & Pick<SignInProgress, 'phase'>;

/** What every running sign-in has: its id, its abort switch and the progress the UI last saw. */
export interface SignInFlow {
  readonly id: string;
  readonly abort: AbortController;
  last: SignInProgress;
}

/** What the user is shown for one event of an auth flow (authorize page, device code, code prompt). */
export function progressForEvent(event: AuthFlowEvent, now = Date.now()): ProgressUpdate {
  switch (event.event) {
    case 'open-url':
      return { phase: 'open-url', url: event.url };
    case 'device-code':
      return {
        phase: 'device-code',
        userCode: event.userCode,
        verificationUri: event.verificationUri,
        ...(event.verificationUriComplete ? { verificationUriComplete: event.verificationUriComplete } : {}),
        expiresAt: now + event.expiresIn * 1000,
        interval: event.interval,
      };
    case 'need-code':
      return { phase: 'need-code' };
  }
}

/**
 * The sign-ins running now, by flow id, and the progress each reports: one runner for provider
 * sign-ins and the sync server's. `F` adds what the owner keeps per flow beyond the common part.
 */
export class SignInFlows<F extends SignInFlow = SignInFlow> {
  private readonly flows = new Map<string, F>();

  constructor(private readonly emit: (progress: SignInProgress) => void) {}

  /** Registers a new flow and reports it as starting. */
  start(provider: string, method: SignInMethod, details: Omit<F, keyof SignInFlow>): F {
    const id = crypto.randomUUID();
    const flow = { ...details, id, abort: new AbortController(), last: { flowId: id, provider, method, phase: 'starting' } } as F;
    this.flows.set(id, flow);
    this.emit(flow.last);
    return flow;
  }

  get(id: string): F | undefined {
    return this.flows.get(id);
  }

  /** Still running: not finished, failed or cancelled meanwhile. */
  has(id: string): boolean {
    return this.flows.has(id);
  }

  /** Takes a finished flow off the list (its last report is the caller's). */
  delete(id: string): void {
    this.flows.delete(id);
  }

  values(): IterableIterator<F> {
    return this.flows.values();
  }

  /** Reports a step; a later phase keeps what the user still needs (the URL, the device code). */
  report(flow: F, update: ProgressUpdate): void {
    flow.last = { ...flow.last, ...update };
    this.emit(flow.last);
  }

  /** Reports an auth flow's event as the step the user sees. */
  event(flow: F, event: AuthFlowEvent): void {
    this.report(flow, progressForEvent(event));
  }

  /** Ends a flow that did not sign in: `cancelled` for a cancel, the error otherwise. */
  fail(flow: F, error: { readonly code: string; readonly message: string }): void {
    this.flows.delete(flow.id);
    this.report(flow, error.code === 'cancelled' ? { phase: 'cancelled' } : { phase: 'error', error: { ...error } });
  }

  /** Stops a flow at once and reports it cancelled. */
  cancel(id: string): void {
    const flow = this.flows.get(id);
    if (!flow) return;
    flow.abort.abort();
    this.flows.delete(id);
    this.report(flow, { phase: 'cancelled' });
  }

  /** Aborts every flow; each one's runner reports how it ended. */
  abortAll(): void {
    for (const flow of this.flows.values()) flow.abort.abort();
  }

  /** Aborts every flow and forgets them without a report (shutting down). */
  close(): void {
    this.abortAll();
    this.flows.clear();
  }
}
