import { describe, expect, it, vi } from 'vitest';
import { detectStatus, findPrompt, StatusDriver, type StatusObservation } from '../../../main/core/agents/status-detector.js';

const base: StatusObservation = { now: 10_000, startedAt: 0, lastOutputAt: 9_990, exited: false, screen: [] };
const options = { idleAfterMs: 1_500, promptAfterMs: 400 };

describe('detectStatus', () => {
  it('is starting before any output and idle when a silent process has been quiet long enough', () => {
    expect(detectStatus({ ...base, startedAt: 9_900, lastOutputAt: null }, options).status).toBe('starting');
    expect(detectStatus({ ...base, startedAt: 0, lastOutputAt: null }, options).status).toBe('idle');
  });

  it('is working while output flows and says when to look again', () => {
    const verdict = detectStatus({ ...base, lastOutputAt: 9_900 }, options);
    expect(verdict).toEqual({ status: 'working', recheckAt: 10_300 });
  });

  it('becomes idle after the quiet period', () => {
    expect(detectStatus({ ...base, lastOutputAt: 8_400, screen: ['> '] }, options).status).toBe('idle');
    expect(detectStatus({ ...base, lastOutputAt: 8_600, screen: ['> '] }, options).status).toBe('working');
  });

  it('is waiting_for_input when a prompt is on a quiet screen', () => {
    const screen = ['Bash command', '  rm -rf build', 'Do you want to proceed?', '❯ 1. Yes', '  2. No'];
    expect(detectStatus({ ...base, lastOutputAt: 9_500, screen }, options)).toEqual({ status: 'waiting_for_input', reason: 'claude permission prompt' });
    // A prompt that is still being drawn counts as work.
    expect(detectStatus({ ...base, lastOutputAt: 9_800, screen }, options).status).toBe('working');
  });

  it('is exited whatever the screen shows', () => {
    expect(detectStatus({ ...base, exited: true, screen: ['Do you want to proceed?'] }, options)).toEqual({ status: 'exited' });
  });
});

describe('findPrompt', () => {
  const cases: ReadonlyArray<[string, ReadonlyArray<string>, string]> = [
    ['claude edit', ['Do you want to make this edit to src/app.ts?', '❯ 1. Yes'], 'claude'],
    ['claude trust', ['Quick safety check: Is this a project you created or one you trust? (Like your own code)'], 'claude'],
    ['codex command', ['Would you like to run the following command?', '  $ npm test', '› 1. Yes, proceed (y)'], 'codex'],
    ['codex edits', ['Would you like to make the following edits?'], 'codex'],
    ['codex legacy', ['Allow command?'], 'codex'],
    ['gemini apply', ['Apply this change?', '● 1. Allow once'], 'gemini'],
    ['gemini exec', ['Allow execution of: npm?', '● 1. Allow once', '  2. Allow for this session'], 'gemini'],
    ['gemini waiting', ['⠏ Waiting for user confirmation...'], 'gemini'],
    ['yes/no', ['Overwrite config.json? (y/n) '], 'generic'],
  ];
  for (const [label, screen, provider] of cases) {
    it(`recognises ${label}`, () => {
      expect(findPrompt(screen)?.provider).toBe(provider);
    });
  }

  it('ignores ordinary output and prompts of other providers when the provider is known', () => {
    expect(findPrompt(['$ npm test', 'All 42 tests passed', '> '])).toBeUndefined();
    expect(findPrompt(['Would you like to run the following command?'], 'claude')).toBeUndefined();
    expect(findPrompt(['Continue? (y/n)'], 'claude')?.provider).toBe('generic');
  });
});

describe('findPrompt window', () => {
  it('looks only at the last lines of the screen', () => {
    const screen = ['Do you want to proceed?', ...Array.from({ length: 15 }, (_, i) => `output ${i}`)];
    expect(findPrompt(screen)).toBeUndefined();
    expect(findPrompt(screen.slice(1).concat('Do you want to proceed?'))?.provider).toBe('claude');
  });
});

describe('StatusDriver', () => {
  it('does not read the screen while output keeps flowing (a spinner costs a timer), and reads it once output is quiet', async () => {
    let now = 10_000;
    let lastOutput: number | null = now;
    let reads = 0;
    const changes: string[] = [];
    const driver = new StatusDriver(
      {
        startedAt: 0,
        lastOutputAt: () => lastOutput,
        exited: () => false,
        screen: async () => {
          reads += 1;
          return ['Allow command? (y/n)'];
        },
      },
      (verdict) => changes.push(verdict.status),
      { promptAfterMs: 400, idleAfterMs: 1_500 },
      () => now,
    );
    // Output every 100 ms for two seconds: evaluations happen, screen reads do not.
    for (let i = 0; i < 20; i++) {
      now += 100;
      lastOutput = now;
      driver.poke();
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(driver.verdict.status).toBe('working');
    expect(reads).toBe(0);
    // Quiet past the prompt threshold: the screen is read and the prompt recognised.
    now += 500;
    driver.poke();
    await vi.waitFor(() => expect(driver.verdict.status).toBe('waiting_for_input'));
    expect(reads).toBeGreaterThan(0);
    expect(changes).toEqual(['working', 'waiting_for_input']);
    driver.dispose();
  });
});
