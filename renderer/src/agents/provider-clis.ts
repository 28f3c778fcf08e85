import type { AccountView, ProvidersState } from '../../../preload/contract';

/** A provider that ships a command-line agent, the command it runs and its flag for acting without asking. */
export interface ProviderCli {
  readonly command: string;
  /** Empty when the CLI has no such flag. */
  readonly skipFlag: string;
}

/** One entry of the provider select. */
export interface CliProviderChoice {
  readonly id: string;
  readonly name: string;
  readonly logo: string;
  readonly cli: ProviderCli;
  readonly accounts: ReadonlyArray<AccountView>;
  /** Has at least one account: the only ones that can be chosen. */
  readonly connected: boolean;
}

/** The providers with a CLI agent, connected ones first, each group in the daemon's order. */
export function cliProviderChoices(state: ProvidersState | undefined): ReadonlyArray<CliProviderChoice> {
  if (!state) return [];
  const choices = state.providers.flatMap((provider): CliProviderChoice[] => {
    // The daemon says which providers have a command-line agent (self-hosted ones have none).
    if (!provider.cli) return [];
    const cli: ProviderCli = { command: provider.cli.command, skipFlag: provider.cli.skipPermissionsFlag ?? '' };
    return [{ id: provider.id, name: provider.name, logo: provider.logo, cli, accounts: provider.accounts, connected: provider.accounts.length > 0 }];
  });
  return [...choices.filter((c) => c.connected), ...choices.filter((c) => !c.connected)];
}

/** What the provider select shows for a choice. */
export function providerOptionLabel(choice: CliProviderChoice): string {
  if (!choice.connected) return `${choice.name} — connect it first`;
  const n = choice.accounts.length;
  return `${choice.name} · ${n} account${n === 1 ? '' : 's'}`;
}

/** What the account select shows for an account. */
export function accountOptionLabel(account: AccountView): string {
  const who = account.email && account.email !== account.name ? `${account.name} (${account.email})` : account.name;
  const parts = [who, account.plan, account.isDefault ? 'default' : undefined].filter(Boolean);
  const label = parts.join(' · ');
  return account.state === 'needs_signin' ? `${label} — sign in again` : account.state === 'error' ? `${label} — has a problem` : label;
}
