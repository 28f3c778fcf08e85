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
