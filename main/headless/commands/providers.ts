import readline from 'node:readline';
import type { AccountView, ProviderView, SignInMethod, SignInProgress } from '../../../preload/contract.js';
import type { CliContext } from '../cli-context.js';
import { openBridge } from '../bridge-access.js';
import { hasDisplay, openBrowser } from '../open-browser.js';

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
  const bits = [a.name, a.plan, a.method, a.source, a.expiresAt ? inMinutes(a.expiresAt) : undefined, a.isDefault ? 'default' : undefined];
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
      ctx.out('Weaker protection: secrets are encrypted with a key file in the data folder, not a system keychain.');
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

function readLineFromStdin(): Promise<string | undefined> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, terminal: false });
    rl.once('line', (line) => {
      // Resolve first: close() emits 'close' at once, which would resolve with nothing.
      resolve(line);
      rl.close();
    });
    rl.once('close', () => resolve(undefined));
  });
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
    const method = options.method ?? (['browser', 'device', 'paste', 'import'] as const).find((m) => provider.methods.includes(m));
    if (!method || method === 'api-key') {
      const message = `${provider.name} is connected with an API key or a base URL: use the Providers page.`;
      if (options.json) emit({ event: 'error', code: 'method_not_supported', message });
      else ctx.err(message);
      return 1;
    }

    let flowId: string | undefined;
    const early: SignInProgress[] = [];
    let handle: (p: SignInProgress) => void = (p) => early.push(p);
    const off = bridge.on('providers.signIn', (p) => handle(p));
    const onSignal = () => {
      if (flowId) void bridge.call('providers.cancel', flowId);
    };
    process.once('SIGINT', onSignal);

    const outcome = await new Promise<number>((resolve) => {
      const step = async (p: SignInProgress) => {
        if (p.flowId !== flowId) return;
        switch (p.phase) {
          case 'starting':
            return;
          case 'open-url':
            if (options.json) emit({ event: 'open-url', url: p.url });
            else ctx.out(`Open this address to sign in to ${provider.name}:\n  ${p.url}`);
            if (options.open && hasDisplay() && p.url && !bridge.remote) void openBrowser(p.url);
            return;
          case 'device-code': {
            const expiresIn = p.expiresAt ? Math.max(0, Math.round((p.expiresAt - Date.now()) / 1000)) : undefined;
            if (options.json) {
              emit({ event: 'device-code', userCode: p.userCode, verificationUri: p.verificationUri, verificationUriComplete: p.verificationUriComplete, expiresIn });
            } else {
              ctx.out(`Go to ${p.verificationUri} and enter the code  ${p.userCode}  (${p.expiresAt ? inMinutes(p.expiresAt) : 'expires soon'}).`);
              ctx.out('Waiting for you to approve… (Ctrl+C cancels)');
            }
            const open = p.verificationUriComplete ?? p.verificationUri;
            if (options.open && hasDisplay() && open && !bridge.remote) void openBrowser(open);
            return;
          }
          case 'need-code': {
            if (options.json) emit({ event: 'need-code' });
            else ctx.out('Paste the code the page shows (code#state), then press Enter:');
            for (;;) {
              const code = await (options.readCode ?? readLineFromStdin)();
              if (code === undefined) {
                await bridge.call('providers.cancel', p.flowId);
                return;
              }
              try {
                await bridge.call('providers.submitCode', { flowId: p.flowId, code });
                return;
              } catch (error) {
                const e = error as { code?: string; message: string };
                if (e.code !== 'invalid_code' && e.code !== 'state_mismatch') return;
                if (options.json) emit({ event: 'error', code: e.code, message: e.message, retry: true });
                else ctx.err(`${e.message} Paste it again:`);
              }
            }
          }
          case 'connected':
            if (options.json) emit({ event: 'connected', provider: provider.id, account: p.account?.name });
            else ctx.out(`Connected to ${provider.name} as ${p.account?.name ?? 'your account'}.`);
            resolve(0);
            return;
          case 'error':
            if (options.json) emit({ event: 'error', code: p.error?.code, message: p.error?.message });
            else ctx.err(`${provider.name}: ${p.error?.message ?? 'sign-in failed'}`);
            resolve(1);
            return;
          case 'cancelled':
            if (options.json) emit({ event: 'error', code: 'cancelled', message: 'Sign-in was cancelled.' });
            else ctx.err('Sign-in was cancelled.');
            resolve(1);
            return;
        }
      };
      handle = (p) => void step(p);
      bridge
        .call('providers.connect', { provider: provider.id, method, ...(options.account ? { account: options.account } : {}) })
        .then(({ flowId: id }) => {
          flowId = id;
          for (const p of early.splice(0)) void step(p);
        })
        .catch((error: { code?: string; message: string }) => {
          if (options.json) emit({ event: 'error', code: error.code ?? 'error', message: error.message });
          else ctx.err(error.message);
          resolve(1);
        });
    });
    off();
    process.off('SIGINT', onSignal);
    return outcome;
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
