import type { AccountView, ProviderView, SignInMethod } from '../../../preload/contract.js';
import type { CliContext } from '../cli-context.js';
import { openBridge } from '../bridge-access.js';
import { followSignIn, readLineFromStdin } from '../sign-in-session.js';

const inMinutes = (at: number): string => {
  const minutes = Math.round((at - Date.now()) / 60_000);
  if (minutes <= 0) return 'expired';
  if (minutes < 90) return `expires in ${minutes} min`;
  return `expires in ${Math.round(minutes / 60)} h`;
};

function providerState(p: ProviderView): string {
  if (p.accounts.length === 0) return p.notice ? 'unavailable' : 'not connected';
  const main = p.accounts.find((a) => a.isDefault) ?? p.accounts[0]!;
  if (main.state === 'needs_signin') return 'sign in again';
  if (main.state === 'error') return 'error';
  return 'connected';
}

function accountLine(a: AccountView): string {
  const bits = [a.name, a.plan, a.signedInBy ? `signed in by ${a.signedInBy}` : a.method, a.source, a.configHome, a.expiresAt ? inMinutes(a.expiresAt) : undefined, a.isDefault ? 'default' : undefined];
  return bits.filter(Boolean).join(' · ');
}

export async function listProviders(ctx: CliContext, options: { json: boolean; providersConfig?: string }): Promise<number> {
  const bridge = await openBridge(ctx.dataDir, options);
  try {
    const state = await bridge.call('providers.list');
    if (options.json) {
      ctx.out(JSON.stringify({ ...state, providers: state.providers.map((p) => ({ ...p, state: providerState(p) })) }));
      return 0;
    }
    for (const problem of state.configProblems) ctx.err(`Warning: ${problem}`);
    if (state.vault.problem) ctx.err(`Warning: ${state.vault.problem}`);
    const width = Math.max(...state.providers.map((p) => p.id.length));
    for (const p of state.providers) {
      ctx.out(`${p.id.padEnd(width)}  ${providerState(p).padEnd(14)}  ${p.name}${p.notice ? ` — ${p.notice}` : ''}`);
      for (const a of p.accounts) ctx.out(`${' '.repeat(width)}    ${accountLine(a)}${a.stateReason ? ` (${a.stateReason})` : ''}`);
    }
    if (state.vault.protection === 'weaker') {
      ctx.out('');
      ctx.out(state.vault.protectionDetail ?? 'Weaker protection: secrets are not sealed by a system keychain.');
    }
    return 0;
  } finally {
    await bridge.close();
  }
}

export interface ConnectOptions {
  method?: SignInMethod;
  account?: string;
  open: boolean;
  json: boolean;
  providersConfig?: string;
  /** Reads the pasted code (stdin by default). */
  readCode?: () => Promise<string | undefined>;
}

/** `connect`: signs in to a provider; exit 0 only when connected. */
export async function connectProvider(ctx: CliContext, providerId: string, options: ConnectOptions): Promise<number> {
  const bridge = await openBridge(ctx.dataDir, options);
  const emit = (event: Record<string, unknown>) => ctx.out(JSON.stringify(event));
  try {
    const state = await bridge.call('providers.list');
    const provider = state.providers.find((p) => p.id === providerId);
    if (!provider) {
      const message = `There is no provider ${JSON.stringify(providerId)}. Providers: ${state.providers.map((p) => p.id).join(', ')}.`;
      if (options.json) emit({ event: 'error', code: 'unknown_provider', message });
      else ctx.err(message);
      return 1;
    }
    // Where the provider's own CLI is the way it allows (Claude, Gemini: listed first), that is the default.
    const method = options.method ?? (provider.methods[0] === 'cli' ? 'cli' : (['browser', 'device', 'paste', 'import'] as const).find((m) => provider.methods.includes(m)));
    if (!method || method === 'api-key') {
      const message = `${provider.name} is connected with an API key or a base URL: use the Providers page.`;
      if (options.json) emit({ event: 'error', code: 'method_not_supported', message });
      else ctx.err(message);
      return 1;
    }

    return await followSignIn(ctx, {
      bridge,
      event: 'providers.signIn',
      start: () => bridge.call('providers.connect', { provider: provider.id, method, ...(options.account ? { account: options.account } : {}) }),
      cancel: (flowId) => bridge.call('providers.cancel', flowId),
      name: provider.name,
      json: options.json,
      open: options.open,
      async onNeedCode(flowId) {
        if (!options.json) {
          ctx.out(
            provider.signInBy && method.startsWith('cli')
              ? `Paste the code the page shows, then press Enter (it goes into ${provider.signInBy}'s prompt):`
              : 'Paste the code the page shows (code#state), then press Enter:',
          );
        }
        for (;;) {
          const code = await (options.readCode ?? readLineFromStdin)();
          if (code === undefined) {
            await bridge.call('providers.cancel', flowId);
            return;
          }
          try {
            await bridge.call('providers.submitCode', { flowId, code });
            return;
          } catch (error) {
            const e = error as { code?: string; message: string };
            // A code that did not parse or match leaves the flow open for another try.
            if (e.code !== 'invalid_code' && e.code !== 'state_mismatch') return;
            if (options.json) emit({ event: 'error', code: e.code, message: e.message, retry: true });
            else ctx.err(`${e.message} Paste it again:`);
          }
        }
      },
      connected: (p) => ({
        json: {
          provider: provider.id,
          account: p.account?.name,
          ...(p.account?.signedInBy ? { signedInBy: p.account.signedInBy, configHome: p.account.configHome } : {}),
        },
        lines: [
          `Connected to ${provider.name} as ${p.account?.email ?? p.account?.name ?? 'your account'}${p.account?.signedInBy ? `, signed in by ${p.account.signedInBy}` : ''}.`,
          ...(p.account?.configHome ? [`${p.account.signedInBy} keeps the login in ${p.account.configHome} (in the data folder); only ${p.account.signedInBy} uses it.`] : []),
        ],
      }),
    });
  } finally {
    await bridge.close();
  }
}

export async function disconnectProvider(ctx: CliContext, providerId: string, options: { account?: string; providersConfig?: string }): Promise<number> {
  const bridge = await openBridge(ctx.dataDir, options);
  try {
    const state = await bridge.call('providers.list');
    const provider = state.providers.find((p) => p.id === providerId);
    if (!provider) {
      ctx.err(`There is no provider ${JSON.stringify(providerId)}.`);
      return 1;
    }
    const account = options.account
      ? provider.accounts.find((a) => a.accountId === options.account || a.name === options.account)
      : (provider.accounts.find((a) => a.isDefault) ?? provider.accounts[0]);
    if (!account) {
      ctx.err(options.account ? `${provider.name} has no account ${JSON.stringify(options.account)}.` : `${provider.name} is not connected.`);
      return 1;
    }
    const { revoked } = await bridge.call('providers.disconnect', { provider: provider.id, accountId: account.accountId });
    ctx.out(`Disconnected ${account.name} from ${provider.name}${revoked ? '; the token was revoked' : ''}.`);
    return 0;
  } finally {
    await bridge.close();
  }
}
