import { describe, expect, it } from 'vitest';
import { detectUsageLimit, parseReset, UsageLimitWatch } from '../../../main/core/network/usage-limit.js';
import type { PromptProvider } from '../../../main/core/agents/prompt-patterns.js';
import { findPrompt } from '../../../main/core/agents/status-detector.js';

const NOON = new Date(2026, 11, 6, 12, 0, 0).getTime();

describe('usage limits in agent output', () => {
  it('reads Claude Code’s limit messages with their reset time', () => {
    expect(detectUsageLimit('\u001b[31m5-hour limit reached ∙ resets 3pm (Europe/Berlin)\u001b[0m\r\n', NOON)).toEqual({
      message: '5-hour limit reached ∙ resets 3pm (Europe/Berlin)',
      resetText: '3pm (Europe/Berlin)',
      resetsAt: new Date(2026, 11, 6, 15, 0, 0).getTime(),
    });
    expect(detectUsageLimit('Claude AI usage limit reached|1765036800', NOON)).toMatchObject({ resetsAt: 1765036800_000 });
    expect(detectUsageLimit("You've hit your limit · resets 11am", NOON)?.resetsAt).toBe(new Date(2026, 11, 7, 11, 0, 0).getTime());
  });

  it('reads Codex’s usage-limit error and a 429', () => {
    const codex = detectUsageLimit("■ You've hit your usage limit. Upgrade to Pro (https://openai.com/chatgpt/pricing) or try again in 2 hours 5 minutes.", NOON);
    expect(codex).toMatchObject({ resetText: 'in 2 hours 5 minutes', resetsAt: NOON + (2 * 60 + 5) * 60_000 });
    expect(detectUsageLimit('stream error: exceeded retry limit, last status: 429 Too Many Requests')?.message).toMatch(/429 Too Many Requests/);
    expect(detectUsageLimit('API Error: 429 {"type":"error","error":{"type":"rate_limit_error"}}')?.message).toMatch(/^API Error: 429/);
  });

  it('ignores ordinary output, and reports a message split across chunks once', () => {
    expect(detectUsageLimit('Refactored the rate limiter; tests pass.')).toBeUndefined();
    const seen: string[] = [];
    const watch = new UsageLimitWatch((limit) => seen.push(limit.message));
    watch.feed("You've hit your usage lim");
    watch.feed('it. Try again in 3 hours.\r\n');
    watch.feed('more output\r\n');
    expect(seen).toHaveLength(1);
    expect(parseReset('in 45 minutes', NOON)).toBe(NOON + 45 * 60_000);
  });
});

describe('one table of limit phrases feeds both the limit notice and the attention "usage limit"', () => {
  it('every CLI limit line is both a usage limit with its words and a waiting "usage limit" screen; ordinary output is neither', () => {
    const lines: Array<[PromptProvider, string]> = [
      ['claude', "You've hit your session limit · resets 3pm (Europe/Berlin)"],
      ['claude', 'Claude usage limit reached. Your limit will reset at 5pm.'],
      ['codex', "■ You've hit your usage limit. Upgrade to Pro or try again in 2 hours."],
      ['gemini', 'Usage limit reached for gemini-2.5-pro.'],
      ['gemini', 'You have exhausted your daily quota on this model.'],
    ];
    for (const [provider, line] of lines) {
      const limit = detectUsageLimit(`${line}\r\n`, NOON);
      expect(limit?.message.length, line).toBeGreaterThan(20);
      expect(line).toContain(limit!.message);
      expect(findPrompt(['earlier output', line, ''], provider)?.label, line).toBe('usage limit');
    }
    // A raw 429 is a limit for the notice, but not a screen that waits for the human.
    expect(detectUsageLimit('API Error: 429 rate_limit_error', NOON)).toBeDefined();
    expect(findPrompt(['API Error: 429 rate_limit_error', ''], 'claude')?.label).not.toBe('usage limit');
    expect(detectUsageLimit('Refactored the rate limiter; tests pass.')).toBeUndefined();
    expect(findPrompt(['Refactored the rate limiter; tests pass.', ''], 'claude')?.label).not.toBe('usage limit');
  });
});

describe('the limit watch reads only new output, with the same reports as reading the whole tail', () => {
  it('reports what a watch that re-reads its 4 KB tail every chunk reports, for random output cut anywhere', () => {
    // The watch as it was: the whole tail through detectUsageLimit on every chunk.
    class TailWatch {
      private tail = '';
      constructor(private readonly onLimit: (message: string) => void) {}
      feed(data: string): void {
        this.tail = (this.tail + data).slice(-4096);
        const limit = detectUsageLimit(this.tail, NOON);
        if (!limit) return;
        this.tail = '';
        this.onLimit(limit.message);
      }
    }
    const pieces = [
      'ordinary output ',
      'x'.repeat(900),
      '\r\n',
      'the rate limiter ',
      "You've hit your usage limit. Try again in 3 hours.\r\n",
      'Claude AI usage limit reached|1765036800\r\n',
      'Quota exceeded for model\r\n',
      '\x1b[31m5-hour limit reached ∙ resets 3pm\x1b[0m\r\n',
      'RESOURCE_EXHAUSTED',
      'capacity ',
      // Words of the phrase far after its QUICK word: the watch must remember the word it saw earlier.
      "weekly limit reached (your plan's weekly allowance is used up) · resets Monday 9am\r\n",
    ];
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    let reports = 0;
    for (let round = 0; round < 100; round++) {
      let text = '';
      for (let i = 0; i < 60; i++) text += pieces[Math.floor(rand() * pieces.length)];
      const want: string[] = [];
      const got: string[] = [];
      let chunk = 0;
      // Each report with the chunk that completed it: as soon, not only as often.
      const before = new TailWatch((message) => want.push(`${chunk}: ${message}`));
      const watch = new UsageLimitWatch((limit) => got.push(`${chunk}: ${limit.message}`));
      for (let at = 0; at < text.length; chunk++) {
        const size = 1 + Math.floor(rand() * (rand() < 0.1 ? 9000 : 300));
        before.feed(text.slice(at, at + size));
        watch.feed(text.slice(at, at + size));
        at += size;
      }
      expect(got, `round ${round}`).toEqual(want);
      reports += want.length;
    }
    expect(reports).toBeGreaterThan(100);
  });
});
