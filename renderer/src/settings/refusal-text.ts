import type { BridgeCallError } from '../bridge';

/**
 * The sentence to show under a field the daemon refused. Its `invalid_args` messages read
 * "app.setSettings: argument 0.<field>: <problem>"; keep the problem, or the whole message if the
 * shape is different.
 */
export function refusalText(error: BridgeCallError, field: string): string {
  if (error.code !== 'invalid_args') return error.message;
  const problems = [...error.message.matchAll(/argument 0\.(\w+): ([^;]+)/g)]
    .filter((match) => match[1] === field)
    .map((match) => match[2]!.trim());
  if (problems.length === 0) return error.message;
  const text = problems.join('; ');
  return text.charAt(0).toUpperCase() + text.slice(1) + (/[.!?]$/.test(text) ? '' : '.');
}
