import { plainText } from '../auth/cli-login.js';
import { USAGE_LIMIT_PHRASES } from '../agents/usage-limit-phrases.js';

/**
 * Usage and rate limits as the agents' CLIs print them (Claude Code 2.1.197, Codex 0.171.0, Gemini
 * CLI 0.61.0, and an HTTP 429 from any of them), with the reset time when the CLI gives one.
 */
export interface UsageLimit {
  /** The CLI's own words, one line. */
  readonly message: string;
  /** When the limit resets, as the CLI said it ("3pm (Europe/Berlin)", "in 2 hours 5 minutes"). */
  readonly resetText?: string;
  /** Epoch ms of the reset when it could be read from the CLI's words. */
  readonly resetsAt?: number;
}

const QUICK = /limit|429|quota|capacity|RESOURCE_EXHAUSTED/i;
const QUICK_ALL = new RegExp(QUICK.source, 'gi');
const QUICK_LONGEST = 'RESOURCE_EXHAUSTED'.length;
/** What a watch keeps of an agent's output: a limit message arrives in pieces, but within this. */
const TAIL_CHARS = 4096;

/** Reads "in 2 hours 5 minutes", "at 3:15 PM", "3pm (Europe/Berlin)", an epoch; undefined when unsure. */
export function parseReset(text: string, now: number = Date.now()): number | undefined {
  const epoch = /^\d{9,11}$/.exec(text.trim());
  if (epoch) return Number(epoch[0]) * 1000;
  const relative = /in\s+(?:(\d+)\s*(?:days?|d)\b)?\s*(?:(\d+)\s*(?:hours?|hrs?|h)\b)?\s*(?:(\d+)\s*(?:minutes?|mins?|m)\b)?/i.exec(text);
  if (relative && (relative[1] || relative[2] || relative[3])) {
    const ms = (Number(relative[1] ?? 0) * 24 * 60 + Number(relative[2] ?? 0) * 60 + Number(relative[3] ?? 0)) * 60_000;
    return now + ms;
  }
  const clock = /(\d{1,2})(?::(\d{2}))?\s*(am|pm)\b/i.exec(text) ?? /\b(\d{1,2}):(\d{2})\b()/.exec(text);
  if (clock) {
    let hours = Number(clock[1]) % 12;
    if (!clock[3]) hours = Number(clock[1]);
    else if (clock[3].toLowerCase() === 'pm') hours += 12;
    const at = new Date(now);
    at.setHours(hours, Number(clock[2] ?? 0), 0, 0);
    if (at.getTime() <= now) at.setDate(at.getDate() + 1);
    return at.getTime();
  }
  return undefined;
}

/** The first usage or rate limit in some terminal output, or undefined. */
export function detectUsageLimit(output: string, now: number = Date.now()): UsageLimit | undefined {
  if (!QUICK.test(output)) return undefined;
  const text = plainText(output);
  for (const pattern of USAGE_LIMIT_PHRASES) {
    const found = pattern.match.exec(text);
    if (!found) continue;
    const line = found[0].trim().replace(/\s+/g, ' ').slice(0, 300);
    const resetText = pattern.reset ? found[pattern.reset]?.trim().replace(/[.\s]+$/, '') : undefined;
    if (resetText && /^\d{9,11}$/.test(resetText)) {
      const resetsAt = Number(resetText) * 1000;
      return { message: 'Claude usage limit reached', resetText: new Date(resetsAt).toLocaleString(), resetsAt };
    }
    const resetsAt = resetText ? parseReset(resetText, now) : undefined;
    return { message: line, ...(resetText ? { resetText } : {}), ...(resetsAt !== undefined ? { resetsAt } : {}) };
  }
  return undefined;
}

/**
 * Watches one agent's output: keeps a short tail (a message can arrive in pieces) and reports each
 * limit once; the tail starts over after a report so the same words do not report again.
 */
export class UsageLimitWatch {
  private tail = '';
  /** How far from the tail's end the last QUICK word starts (Infinity: none in it). */
  private quickFromEnd = Number.POSITIVE_INFINITY;
  constructor(private readonly onLimit: (limit: UsageLimit) => void) {}

  feed(data: string): void {
    // Only the new text (and the few characters before it a word may start in) is looked at: while
    // the tail holds none of the QUICK words, the phrases cannot match and are not tried.
    const overlap = this.tail.slice(-(QUICK_LONGEST - 1));
    const scan = overlap + data;
    QUICK_ALL.lastIndex = Math.max(0, scan.length - TAIL_CHARS);
    let last = -1;
    for (let found = QUICK_ALL.exec(scan); found; found = QUICK_ALL.exec(scan)) last = found.index;
    this.quickFromEnd = last >= 0 ? scan.length - last : this.quickFromEnd + data.length;
    this.tail = (this.tail + data).slice(-TAIL_CHARS);
    if (this.quickFromEnd > this.tail.length) return;
    const limit = detectUsageLimit(this.tail);
    if (!limit) return;
    this.tail = '';
    this.quickFromEnd = Number.POSITIVE_INFINITY;
    this.onLimit(limit);
  }
}
