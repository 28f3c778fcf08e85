import { describe, expect, it } from 'vitest';
import { AuthFailure } from '../../../main/core/auth/auth-errors.js';
import { type Clock, type PollOutcome, pollDeviceGrant } from '../../../main/core/auth/device-flow.js';

/** A clock whose sleeps pass instantly and are recorded, so timing rules need no real waiting. */
class FakeClock implements Clock {
  time = 1_000_000;
  readonly sleeps: number[] = [];
  readonly pollTimes: number[] = [];
  now(): number {
    return this.time;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return;
    this.sleeps.push(ms);
    this.time += ms;
  }
}

function scripted<T>(clock: FakeClock, outcomes: ReadonlyArray<PollOutcome<T> | Error>) {
  let index = 0;
  return async (): Promise<PollOutcome<T>> => {
    clock.pollTimes.push(clock.time);
    const next = outcomes[index++];
    if (next === undefined) throw new Error('polled more often than scripted');
    if (next instanceof Error) throw next;
    return next;
  };
}

describe('device grant polling rules (RFC 8628 §3.4–3.5)', () => {
  it('waits the interval before every request and keeps going on authorization_pending', async () => {
    const clock = new FakeClock();
    const result = await pollDeviceGrant({
      intervalSeconds: 5,
      expiresInSeconds: 600,
      clock,
      poll: scripted(clock, [{ kind: 'pending' }, { kind: 'pending' }, { kind: 'done', value: 'tokens' }]),
    });
    expect(result).toEqual({ ok: true, value: 'tokens' });
    expect(clock.sleeps).toEqual([5000, 5000, 5000]);
  });

  it('slow_down adds 5 seconds for that and every later request', async () => {
    const clock = new FakeClock();
    const intervals: number[] = [];
    await pollDeviceGrant({
      intervalSeconds: 5,
      expiresInSeconds: 600,
      clock,
      onIntervalChange: (i) => intervals.push(i),
      poll: scripted(clock, [{ kind: 'slow_down' }, { kind: 'pending' }, { kind: 'slow_down' }, { kind: 'pending' }, { kind: 'done', value: 1 }]),
    });
    expect(clock.sleeps).toEqual([5000, 10000, 10000, 15000, 15000]);
    expect(intervals).toEqual([10, 15]);
  });

  it('honours a larger interval sent with slow_down, as GitHub does', async () => {
    const clock = new FakeClock();
    await pollDeviceGrant({
      intervalSeconds: 5,
      expiresInSeconds: 900,
      clock,
      poll: scripted(clock, [{ kind: 'slow_down', interval: 17 }, { kind: 'pending' }, { kind: 'done', value: 1 }]),
    });
    expect(clock.sleeps).toEqual([5000, 17000, 17000]);
  });

  it('never lets a smaller interval sent with slow_down undo the 5-second step', async () => {
    const clock = new FakeClock();
    await pollDeviceGrant({
      intervalSeconds: 5,
      expiresInSeconds: 900,
      clock,
      poll: scripted(clock, [{ kind: 'slow_down', interval: 2 }, { kind: 'done', value: 1 }]),
    });
    expect(clock.sleeps).toEqual([5000, 10000]);
  });

  it('ends on expired_token with the code and the sentence the UI shows', async () => {
    const clock = new FakeClock();
    const result = await pollDeviceGrant({
      intervalSeconds: 5,
      expiresInSeconds: 600,
      clock,
      poll: scripted(clock, [{ kind: 'pending' }, { kind: 'failed', failure: new AuthFailure('expired_token', 'The code expired — get a new code') }]),
    });
    expect(result).toEqual({ ok: false, error: { code: 'expired_token', message: 'The code expired — get a new code' } });
  });

  it('ends on access_denied', async () => {
    const clock = new FakeClock();
    const result = await pollDeviceGrant({
      intervalSeconds: 5,
      expiresInSeconds: 600,
      clock,
      poll: scripted(clock, [{ kind: 'failed', failure: new AuthFailure('access_denied', 'Sign-in was denied — try again') }]),
    });
    expect(result).toEqual({ ok: false, error: { code: 'access_denied', message: 'Sign-in was denied — try again' } });
  });

  it('stops with expired_token at the code’s lifetime without polling again', async () => {
    const clock = new FakeClock();
    const outcomes: PollOutcome<number>[] = Array.from({ length: 100 }, () => ({ kind: 'pending' }));
    const result = await pollDeviceGrant({ intervalSeconds: 5, expiresInSeconds: 30, clock, poll: scripted(clock, outcomes) });
    expect(result.ok ? 'ok' : result.error.code).toBe('expired_token');
    expect(clock.pollTimes.length).toBe(5);
    expect(Math.max(...clock.pollTimes)).toBeLessThan(1_000_000 + 30_000);
  });

  it('backs off on network errors (doubling) and keeps going until the server answers', async () => {
    const clock = new FakeClock();
    const result = await pollDeviceGrant({
      intervalSeconds: 5,
      expiresInSeconds: 600,
      clock,
      poll: scripted(clock, [
        new TypeError('fetch failed'),
        { kind: 'transient', reason: 'HTTP 503' },
        { kind: 'transient', reason: 'ECONNRESET' },
        { kind: 'pending' },
        { kind: 'done', value: 'ok' },
      ]),
    });
    expect(result).toEqual({ ok: true, value: 'ok' });
    expect(clock.sleeps).toEqual([5000, 10000, 15000, 25000, 5000]);
  });

  it('keeps backing off through network errors until the code expires', async () => {
    const clock = new FakeClock();
    const errors = Array.from({ length: 50 }, () => new TypeError('fetch failed'));
    const result = await pollDeviceGrant({ intervalSeconds: 5, expiresInSeconds: 300, clock, poll: scripted(clock, errors) });
    expect(result.ok ? 'ok' : result.error.code).toBe('expired_token');
    // Backoff is capped at a minute on top of the interval.
    expect(Math.max(...clock.sleeps)).toBe(65000);
  });

  it('cancel stops at once: no request after the signal fires', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    let polls = 0;
    const result = await pollDeviceGrant({
      intervalSeconds: 5,
      expiresInSeconds: 600,
      clock,
      signal: controller.signal,
      poll: async () => {
        polls++;
        if (polls === 2) controller.abort();
        return { kind: 'pending' };
      },
    });
    expect(result.ok ? 'ok' : result.error.code).toBe('cancelled');
    expect(polls).toBe(2);
  });
});
