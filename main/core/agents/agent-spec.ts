import os from 'node:os';
import path from 'node:path';
import { AgentError, fail, ok, type Result } from './agent-errors.js';
import { validateSize } from './pty-session.js';
import type { PromptProvider } from './prompt-patterns.js';
import { DEFAULT_SCROLLBACK } from './terminal-mirror.js';

export const AGENT_NAME_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
export const MAX_SCROLLBACK = 100_000;

/** What a caller asks for; everything but name and command has a default. */
export interface AgentSpecInput {
  readonly name: string;
  readonly command: string;
  readonly args?: ReadonlyArray<string>;
  readonly cwd?: string;
  /** Added to (and overriding) the daemon's environment. */
  readonly env?: Readonly<Record<string, string>>;
  readonly cols?: number;
  readonly rows?: number;
  readonly scrollback?: number;
  /** Whose permission prompts to recognise; all known when omitted. */
  readonly provider?: PromptProvider;
}

export interface AgentSpec {
  readonly name: string;
  readonly command: string;
  readonly args: ReadonlyArray<string>;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly cols: number;
  readonly rows: number;
  readonly scrollback: number;
  readonly provider: PromptProvider | undefined;
}

/** `~` and `~/x` mean the user's home, as in a shell. */
function expandHome(folder: string): string {
  if (folder === '~') return os.homedir();
  if (folder.startsWith('~/') || folder.startsWith('~\\')) return path.join(os.homedir(), folder.slice(2));
  return folder;
}

const invalid = (message: string, field: string): Result<never> => fail(new AgentError('invalid_agent_spec', message, { field }));

/** Checks a spec and fills in defaults (cwd: the daemon's folder, 120x32, 10,000 lines). */
export function normalizeAgentSpec(input: AgentSpecInput, defaultCwd = process.cwd()): Result<AgentSpec> {
  if (typeof input.name !== 'string' || !AGENT_NAME_PATTERN.test(input.name)) {
    return invalid(`Agent name ${JSON.stringify(input.name)} is not valid: use 1–32 letters, digits, "-" or "_".`, 'name');
  }
  if (typeof input.command !== 'string' || input.command.trim() === '') return invalid('An agent needs a command to run.', 'command');
  const args = input.args ?? [];
  if (!Array.isArray(args) || args.some((a) => typeof a !== 'string')) return invalid('Agent arguments must be strings.', 'args');
  const env = input.env ?? {};
  for (const [key, value] of Object.entries(env)) {
    if (key === '' || key.includes('=') || key.includes('\0') || typeof value !== 'string' || value.includes('\0')) {
      return invalid(`Environment variable ${JSON.stringify(key)} is not valid.`, 'env');
    }
  }
  const cols = input.cols ?? 120;
  const rows = input.rows ?? 32;
  const size = validateSize(cols, rows);
  if (!size.ok) return size;
  const scrollback = input.scrollback ?? DEFAULT_SCROLLBACK;
  if (!Number.isInteger(scrollback) || scrollback < 0 || scrollback > MAX_SCROLLBACK) {
    return invalid(`Scrollback must be a whole number of lines from 0 to ${MAX_SCROLLBACK}.`, 'scrollback');
  }
  return ok({
    name: input.name,
    command: input.command,
    args: [...args],
    cwd: path.resolve(defaultCwd, expandHome(input.cwd ?? '.')),
    env: { ...env },
    cols,
    rows,
    scrollback,
    provider: input.provider,
  });
}
