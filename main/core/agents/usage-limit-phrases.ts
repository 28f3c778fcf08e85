/**
 * The one table of how the agents' CLIs say they hit a usage or rate limit (Claude Code 2.1.197,
 * Codex 0.171.0, Gemini CLI 0.61.0, strings from their bundles), with the group that holds the reset
 * time when the CLI gives one. Both readers use it: the status detector (the agent waits, attention
 * "usage limit") and the network's limit watch (the notice, the reset time, "Continue on …").
 */
export interface UsageLimitPhrase {
  readonly match: RegExp;
  /** Index of the group with the reset time, if any. */
  readonly reset?: number;
  /** A raw API error (429, quota) rather than the CLI's own limit screen: not a prompt that waits. */
  readonly raw?: boolean;
}

export const USAGE_LIMIT_PHRASES: ReadonlyArray<UsageLimitPhrase> = [
  // Codex: "You've hit your usage limit. … try again in 2 hours 5 minutes." / "… try again at 3:15 PM."
  { match: /You['’]ve hit your usage limit\.[^\n]*?try again ((?:in|at) [^\n.]+(?:\.\d+)?)/i, reset: 1 },
  // Claude Code: "Claude AI usage limit reached|1733450000" (epoch seconds) and its newer sentences.
  { match: /Claude AI usage limit reached\|(\d{9,11})/, reset: 1 },
  { match: /(?:You['’]ve hit your (?:usage |session |weekly |Opus )?limit|(?:5-hour|session|weekly|Opus) limit reached|Claude usage limit reached)[^\n]*?(?:[·∙•|-]\s*resets?(?: at)?|Your limit will reset at)\s+([^\n]+)/i, reset: 1 },
  { match: /(?:You['’]ve hit your (?:session |weekly |usage |monthly spend |fast |[A-Za-z]+ )?limit|Claude (?:AI )?usage limit reached)[^\n]*/i },
  { match: /Usage limit reached\. You['’]ve reached your usage limit\.[^\n]*/i },
  // Gemini CLI: "Usage limit reached for gemini-2.5-pro." / "You have exhausted your daily quota …".
  { match: /(?:Usage limit reached for |You have exhausted your daily quota|exhausted your capacity)[^\n]*/i },
  // Raw API errors, from any of them.
  { match: /(?:Quota exceeded|RESOURCE_EXHAUSTED)[^\n]*/, raw: true },
  { match: /(?:API Error: 429|429 Too Many Requests|status(?: code)?:? 429|rate_limit_error)[^\n]*/i, raw: true },
];

/** Any of the CLIs' own limit screens (not raw API errors), for the status detector. */
export const CLI_USAGE_LIMIT = new RegExp(
  USAGE_LIMIT_PHRASES.filter((p) => !p.raw)
    .map((p) => `(?:${p.match.source})`)
    .join('|'),
  'i',
);
