import { describe, expect, it } from 'vitest';
import { createQuitGuard, quitPrompt, type QuitPrompt } from '../../../main/electron/quit-guard.js';
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
