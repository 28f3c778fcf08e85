import { describe, expect, it } from 'vitest';
import type { SignInProgress } from '../../../preload/contract.js';
import { SignInFlows } from '../../../main/core/auth/sign-in-flows.js';

describe('sign-in flows', () => {
  const setup = () => {
    const seen: SignInProgress[] = [];
    return { seen, flows: new SignInFlows((p) => seen.push(p)) };
  };

  it('reports a flow starting, its device code, and keeps the code on later phases', () => {
    const { seen, flows } = setup();
    const flow = flows.start('openai', 'device', {});
    flows.event(flow, { event: 'device-code', userCode: 'ABCD-EFGH', verificationUri: 'https://example.test/device', expiresIn: 600, interval: 5 });
    flows.report(flow, { phase: 'connected' });
    expect(seen.map((p) => p.phase)).toEqual(['starting', 'device-code', 'connected']);
    expect(seen[0]).toEqual({ flowId: flow.id, provider: 'openai', method: 'device', phase: 'starting' });
    expect(seen[2]).toMatchObject({ flowId: flow.id, userCode: 'ABCD-EFGH', verificationUri: 'https://example.test/device', interval: 5 });
    expect(seen[1]!.expiresAt).toBeGreaterThan(Date.now() + 590_000);
  });

  it('cancel aborts the flow, reports it cancelled once and forgets it', () => {
    const { seen, flows } = setup();
    const flow = flows.start('openai', 'browser', {});
    flows.cancel(flow.id);
    flows.cancel(flow.id);
    expect(flow.abort.signal.aborted).toBe(true);
    expect(flows.has(flow.id)).toBe(false);
    expect(seen.map((p) => p.phase)).toEqual(['starting', 'cancelled']);
  });

  it('a failure ends the flow with its error; a cancelled failure reads as cancelled', () => {
    const { seen, flows } = setup();
    const a = flows.start('openai', 'device', {});
    const b = flows.start('openai', 'device', {});
    flows.fail(a, { code: 'access_denied', message: 'You said no.' });
    flows.fail(b, { code: 'cancelled', message: 'stopped' });
    expect(seen.filter((p) => p.phase !== 'starting')).toEqual([
      expect.objectContaining({ flowId: a.id, phase: 'error', error: { code: 'access_denied', message: 'You said no.' } }),
      expect.objectContaining({ flowId: b.id, phase: 'cancelled' }),
    ]);
    expect([flows.has(a.id), flows.has(b.id)]).toEqual([false, false]);
  });

  it('abortAll leaves each flow to report its own end; close forgets them quietly', () => {
    const { seen, flows } = setup();
    const flow = flows.start('agent-relay-cloud', 'device', {});
    flows.abortAll();
    expect(flow.abort.signal.aborted).toBe(true);
    expect(flows.has(flow.id)).toBe(true);
    flows.close();
    expect(flows.has(flow.id)).toBe(false);
    expect(seen).toHaveLength(1);
  });
});
