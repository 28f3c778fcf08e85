import { describe, expect, it } from 'vitest';
import { createQuitGuard, decideQuit, quitPrompt, type QuitPrompt } from '../../../main/electron/quit-guard.js';
import { captureLogger } from '../../support/capture-logger.js';

/** A guard over agents that really stop (their count drops when stopAll resolves). */
function setup(running: number, answers: boolean[] = []) {
  const events: string[] = [];
  const prompts: QuitPrompt[] = [];
  let count = running;
  let exited!: () => void;
  const exitedPromise = new Promise<void>((resolve) => (exited = resolve));
  let answerNext!: (quit: boolean) => void;
  const log = captureLogger();
  const guard = createQuitGuard({
    agents: {
      runningAgentCount: () => count,
      stopAll: async () => {
        events.push(`stop ${count}`);
        await new Promise((resolve) => setImmediate(resolve));
        count = 0;
      },
    },
    confirm: (prompt) => {
      prompts.push(prompt);
      events.push('ask');
      const preset = answers.shift();
      return preset === undefined ? new Promise<boolean>((resolve) => (answerNext = resolve)) : Promise.resolve(preset);
    },
    shutdown: async () => {
      events.push(`shutdown with ${count} running`);
    },
    exit: () => {
      events.push('exit');
      exited();
    },
    logger: log.logger,
  });
  return { guard, events, prompts, exitedPromise, answer: (quit: boolean) => answerNext(quit), logLines: log.lines };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('quitting with agents running', () => {
  it('asks "N agents are running. Quit and stop them?" with Quit and Cancel', () => {
    expect(quitPrompt(3)).toMatchObject({ message: '3 agents are running. Quit and stop them?', buttons: ['Quit', 'Cancel'] });
    expect(quitPrompt(1).message).toBe('1 agent is running. Quit and stop it?');
  });

  it('with no agents running, quits without asking', async () => {
    const { guard, events, exitedPromise } = setup(0);
    expect(guard.onBeforeQuit()).toBe(false);
    await exitedPromise;
    expect(events).toEqual(['shutdown with 0 running', 'exit']);
    // The quit that exit() starts goes through.
    expect(guard.onBeforeQuit()).toBe(true);
  });

  it('Quit: stops the agents first, then shuts the daemon down, then exits', async () => {
    const { guard, events, prompts, exitedPromise } = setup(2, [true]);
    expect(guard.onBeforeQuit()).toBe(false);
    await exitedPromise;
    expect(prompts.map((prompt) => prompt.message)).toEqual(['2 agents are running. Quit and stop them?']);
    expect(events).toEqual(['ask', 'stop 2', 'shutdown with 0 running', 'exit']);
  });

  it('Cancel: nothing stops and the app keeps running; a later quit asks again', async () => {
    const { guard, events, answer } = setup(1);
    expect(guard.onBeforeQuit()).toBe(false);
    answer(false);
    await settle();
    expect(events).toEqual(['ask']);
    expect(guard.phase).toBe('running');
    guard.onBeforeQuit();
    expect(events).toEqual(['ask', 'ask']);
  });

  it('a second quit while the prompt is open does not open another prompt', async () => {
    const { guard, events, answer, exitedPromise } = setup(1);
    guard.onBeforeQuit();
    guard.onBeforeQuit();
    expect(events).toEqual(['ask']);
    answer(true);
    await exitedPromise;
    expect(events).toEqual(['ask', 'stop 1', 'shutdown with 0 running', 'exit']);
  });

  it('SIGTERM quits without asking, still stopping agents cleanly; the open prompt’s answer is then ignored', async () => {
    const { guard, events, answer, exitedPromise } = setup(2);
    guard.onBeforeQuit();
    guard.quitWithoutAsking();
    await exitedPromise;
    answer(true);
    await settle();
    expect(events).toEqual(['ask', 'stop 2', 'shutdown with 0 running', 'exit']);
  });

  it('agents that fail to stop are logged, and the app still shuts down and exits', async () => {
    const log = captureLogger();
    let exits = 0;
    const guard = createQuitGuard({
      agents: { runningAgentCount: () => 1, stopAll: () => Promise.reject(new Error('pty did not exit')) },
      confirm: () => Promise.resolve(true),
      shutdown: () => Promise.resolve(),
      exit: () => (exits += 1),
      logger: log.logger,
    });
    guard.onBeforeQuit();
    await settle();
    await settle();
    expect(exits).toBe(1);
    expect(log.lines.join('\n')).toMatch(/agents did not stop cleanly.*pty did not exit/);
  });
});

describe('quitting when a terminal host can keep the agents running', () => {
  function keepable(running: number, options: { preference?: 'ask' | 'stop' | 'keep'; answer?: { choice: 'stop' | 'keep' | 'cancel'; remember?: boolean } } = {}) {
    const events: string[] = [];
    const prompts: QuitPrompt[] = [];
    const remembered: string[] = [];
    let exited!: () => void;
    const exitedPromise = new Promise<void>((resolve) => (exited = resolve));
    const guard = createQuitGuard({
      agents: { runningAgentCount: () => running, stopAll: async () => void events.push('stop agents'), canKeep: () => true },
      confirm: async (prompt) => {
        prompts.push(prompt);
        events.push('ask');
        return options.answer ?? { choice: 'cancel' };
      },
      preference: () => options.preference ?? 'ask',
      remember: (choice) => remembered.push(choice),
      shutdown: async (keepAgents) => void events.push(keepAgents ? 'shutdown keeping agents' : 'shutdown'),
      exit: () => {
        events.push('exit');
        exited();
      },
      logger: captureLogger().logger,
    });
    return { guard, events, prompts, remembered, exitedPromise };
  }

  it('asks: stop the agents, keep them running in the background, or cancel, with "Remember my choice"', () => {
    expect(quitPrompt(3, true)).toMatchObject({
      message: '3 agents are running. Stop them, or keep them running in the background?',
      buttons: ['Stop agents and quit', 'Keep agents running', 'Cancel'],
      choices: ['stop', 'keep', 'cancel'],
      checkbox: expect.stringContaining('Remember my choice'),
      cancelId: 2,
    });
    expect(quitPrompt(1, true).message).toBe('1 agent is running. Stop it, or keep it running in the background?');
  });

  it('Keep: the agents are not stopped, the daemon lets go of them, and the choice is remembered when ticked', async () => {
    const { guard, events, remembered, exitedPromise } = keepable(2, { answer: { choice: 'keep', remember: true } });
    guard.onBeforeQuit();
    await exitedPromise;
    expect(events).toEqual(['ask', 'shutdown keeping agents', 'exit']);
    expect(remembered).toEqual(['keep']);
  });

  it('Stop: the agents stop first; not remembered unless ticked', async () => {
    const { guard, events, remembered, exitedPromise } = keepable(2, { answer: { choice: 'stop' } });
    guard.onBeforeQuit();
    await exitedPromise;
    expect(events).toEqual(['ask', 'stop agents', 'shutdown', 'exit']);
    expect(remembered).toEqual([]);
  });

  it('a remembered choice quits without asking', async () => {
    const keep = keepable(1, { preference: 'keep' });
    keep.guard.onBeforeQuit();
    await keep.exitedPromise;
    expect(keep.events).toEqual(['shutdown keeping agents', 'exit']);
    const stop = keepable(1, { preference: 'stop' });
    stop.guard.onBeforeQuit();
    await stop.exitedPromise;
    expect(stop.events).toEqual(['stop agents', 'shutdown', 'exit']);
  });

  it('SIGTERM keeps the agents (as `up` does; `down` stops everything)', async () => {
    const { guard, events, exitedPromise } = keepable(2);
    guard.quitWithoutAsking();
    await exitedPromise;
    expect(events).toEqual(['shutdown keeping agents', 'exit']);
  });

  it('decideQuit: nothing running just quits; "keep" needs a terminal host', () => {
    expect(decideQuit({ running: 0, canKeep: true, preference: 'ask', ask: true })).toBe('stop');
    expect(decideQuit({ running: 2, canKeep: false, preference: 'keep', ask: true })).toBe('ask');
    expect(decideQuit({ running: 2, canKeep: true, preference: 'ask', ask: true })).toBe('ask');
    expect(decideQuit({ running: 2, canKeep: false, preference: 'ask', ask: false })).toBe('stop');
  });
});
