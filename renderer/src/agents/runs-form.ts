import type { AccountView } from '../../../preload/contract';
import { parseCommandLine, splitShellWords, type ParsedCommandLine } from './command-line';
import type { CliProviderChoice } from './provider-clis';

export type RunsMode = 'provider' | 'command';

/** What an agent (or every member of a team) runs: a provider's CLI with an account, or a command line. */
export interface RunsDraft {
  /** Undefined until the user picks: then a provider when one is connected, a command otherwise. */
  readonly mode?: RunsMode;
  /** Undefined: the first connected provider. */
  readonly provider?: string;
  /** Undefined: the provider's default account. */
  readonly account?: string;
  readonly skipPermissions: boolean;
  /** Extra arguments for the provider's CLI, as in a shell. */
  readonly extraArgs: string;
  readonly commandLine: string;
}

export const EMPTY_RUNS: RunsDraft = { skipPermissions: false, extraArgs: '', commandLine: '' };

export interface ResolvedRuns {
  readonly mode: RunsMode;
  /** The provider in effect (a connected one), if any is. */
  readonly provider: CliProviderChoice | undefined;
  readonly account: AccountView | undefined;
}

/** The choices in effect, with the defaults filled in from what is connected. */
export function resolveRuns(draft: RunsDraft, choices: ReadonlyArray<CliProviderChoice>): ResolvedRuns {
  const connected = choices.filter((c) => c.connected);
  const mode = draft.mode ?? (connected.length ? 'provider' : 'command');
  const provider = connected.find((c) => c.id === draft.provider) ?? connected[0];
  const accounts = provider?.accounts ?? [];
  const account = accounts.find((a) => a.accountId === draft.account) ?? accounts.find((a) => a.isDefault) ?? accounts[0];
  return { mode, provider, account };
}

/** The fields of a spawn or team request that say what runs. */
export type RunsRequest =
  | { readonly provider: string; readonly account: string; readonly skipPermissions: boolean; readonly args: string[] }
  | { readonly command: string; readonly args: string[] };

export type RunsCheck =
  | {
      readonly ok: true;
      readonly request: RunsRequest;
      /** The command line as it will start (the provider's CLI, its flag, the extra arguments). */
      readonly preview: Extract<ParsedCommandLine, { ok: true }>;
    }
  | { readonly ok: false; readonly field: 'provider' | 'extraArgs' | 'commandLine'; readonly error: string };

export function checkRuns(draft: RunsDraft, choices: ReadonlyArray<CliProviderChoice>): RunsCheck {
  const resolved = resolveRuns(draft, choices);
  if (resolved.mode === 'command') {
    const parsed = parseCommandLine(draft.commandLine);
    if (!parsed.ok) return { ok: false, field: 'commandLine', error: parsed.error };
    return { ok: true, request: { command: parsed.command, args: [...parsed.args] }, preview: parsed };
  }
  const { provider, account } = resolved;
  if (!provider || !account) {
    return { ok: false, field: 'provider', error: 'Connect a provider on the Providers page first, or run a command.' };
  }
  const extra = splitShellWords(draft.extraArgs);
  if (!extra.ok) return { ok: false, field: 'extraArgs', error: extra.error };
  const args = [...extra.words];
  return {
    ok: true,
    request: { provider: provider.id, account: account.accountId, skipPermissions: draft.skipPermissions, args },
    preview: { ok: true, command: provider.cli.command, args: [...(draft.skipPermissions && provider.cli.skipFlag ? [provider.cli.skipFlag] : []), ...args] },
  };
}
