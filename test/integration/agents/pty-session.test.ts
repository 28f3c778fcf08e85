import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { PtySession, type PtySpec } from '../../../main/core/agents/pty-session.js';
import { fixture, waitFor } from './agent-test-support.js';

const sessions: PtySession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.kill(200)));
});

function env(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) out[k] = v;
  return out;
}

function start(spec: Partial<PtySpec> & Pick<PtySpec, 'command' | 'args'>): { session: PtySession; output: () => string } {
  const result = PtySession.spawn({ cwd: os.tmpdir(), env: env(), cols: 80, rows: 24, ...spec });
  if (!result.ok) throw result.error;
  const session = result.value;
  sessions.push(session);
  let text = '';
  session.onData((d) => (text += d));
  return { session, output: () => text };
}

describe('PtySession (real pty)', () => {
  it('runs a process, takes input and shows its echo', async () => {
    const { session, output } = start(fixture('prompt-echo.mjs'));
    await waitFor(() => output().includes('> '), 'prompt');
    expect(session.pid).toBeGreaterThan(0);
    session.write('hello there\r');
    await waitFor(() => output().includes('echo: hello there'), 'echo');
  });

  it('resizes the terminal and the process sees the new size', async () => {
    const { session, output } = start({ ...fixture('size.mjs'), cols: 90, rows: 30 });
    await waitFor(() => output().includes('size 90x30'), 'initial size');
    expect(session.resize(132, 40)).toEqual({ ok: true, value: { cols: 132, rows: 40 } });
    await waitFor(() => output().includes('size 132x40'), 'size after SIGWINCH');
    expect([session.cols, session.rows]).toEqual([132, 40]);
  });

  it('refuses sizes a terminal cannot have', () => {
    const { session } = start(fixture('size.mjs'));
    for (const [cols, rows] of [[0, 10], [10, -1], [10.5, 10], [100_000, 10]] as const) {
      const result = session.resize(cols, rows);
      expect(!result.ok && result.error.code).toBe('invalid_size');
    }
  });

  it('records exit code and no signal for a process that exits by itself', async () => {
    const { session } = start({ ...fixture('prompt-echo.mjs'), env: { ...env(), FIXTURE_EXIT_CODE: '3' } });
    session.write('exit\r');
    const exit = await session.whenExited();
    expect(exit).toMatchObject({ exitCode: 3, signal: null, signalName: null });
    expect(session.running).toBe(false);
    expect(session.write('late')).toBe(false);
  });

  it('kill() ends a normal process with SIGTERM', async () => {
    const { session, output } = start(fixture('prompt-echo.mjs'));
    await waitFor(() => output().includes('> '), 'prompt');
    const exit = await session.kill(5_000);
    expect(exit.signalName).toBe('SIGTERM');
  });

  it('kill() sends SIGKILL after the grace period to a process that ignores SIGTERM', async () => {
    const { session, output } = start(fixture('ignore-term.mjs'));
    await waitFor(() => output().includes('stubborn agent up'), 'start');
    const exit = await session.kill(300);
    expect(output()).toContain('ignoring SIGTERM');
    expect(exit).toMatchObject({ signal: 9, signalName: 'SIGKILL' });
    expect(session.exit).toEqual(exit);
  });

  it('returns command_not_found naming the command and the PATH searched', () => {
    const result = PtySession.spawn({ command: 'codex', args: [], cwd: os.tmpdir(), env: { PATH: '/usr/local/nowhere:/opt/empty' }, cols: 80, rows: 24 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('command_not_found');
    expect(result.error.message).toBe(
      'Command "codex" was not found on PATH. Looked in: /usr/local/nowhere, /opt/empty. Install it with: npm install -g @openai/codex',
    );
  });

  it('returns cwd_not_found for a missing working folder', () => {
    const result = PtySession.spawn({ ...fixture('size.mjs'), cwd: '/definitely/not/here', env: env(), cols: 80, rows: 24 });
    expect(!result.ok && result.error.code).toBe('cwd_not_found');
  });

  it('respawns the same spec after an exit', async () => {
    const { session } = start(fixture('size.mjs'));
    await session.kill(200);
    const again = session.respawn();
    if (!again.ok) throw again.error;
    sessions.push(again.value);
    let text = '';
    again.value.onData((d) => (text += d));
    await waitFor(() => text.includes('size 80x24'), 'second start');
    expect(again.value.pid).not.toBe(session.pid);
    expect(again.value.running).toBe(true);
  });
});
