import readline from 'node:readline';
import type { SignInProgress } from '../../preload/contract.js';
import type { BridgeAccess } from './bridge-access.js';
import type { CliContext } from './cli-context.js';
import { hasDisplay, openBrowser } from './open-browser.js';

export interface SignInSessionOptions {
  bridge: BridgeAccess;
  /** Which event carries this sign-in's progress. */
  event: 'providers.signIn' | 'sync.signIn';
  /** Starts the sign-in and returns its flow id. */
  start(): Promise<{ flowId: string }>;
  cancel(flowId: string): Promise<unknown>;
  /** Who the user is signing in to, for sentences. */
  name: string;
  json: boolean;
  open: boolean;
  /** The flow waits for a pasted code (providers' paste method). */
  onNeedCode?(flowId: string): Promise<void>;
  /** What to print once signed in. */
  connected(progress: SignInProgress): { json: Record<string, unknown>; lines: string[] };
}

const inMinutes = (at: number): string => {
  const minutes = Math.round((at - Date.now()) / 60_000);
  return minutes <= 0 ? 'expired' : `expires in ${minutes} min`;
};

/** Reads one line from stdin: a pasted code, a piped passphrase. Undefined at end of input. */
export function readLineFromStdin(): Promise<string | undefined> {
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

/**
 * Follows one sign-in the way the CLI shows it: subscribes before starting (progress can beat the
 * reply), prints each phase as a sentence or a JSON line, opens the browser when asked, cancels on
 * Ctrl+C. Resolves with the exit status: 0 once signed in, 1 otherwise.
 */
export async function followSignIn(ctx: CliContext, options: SignInSessionOptions): Promise<number> {
  const { bridge } = options;
  const emit = (event: Record<string, unknown>) => ctx.out(JSON.stringify(event));
  const fail = (code: string | undefined, message: string) => {
    if (options.json) emit({ event: 'error', code, message });
    else ctx.err(message);
  };
  const openInBrowser = (url: string | undefined) => {
    // The running app opens pages itself; a daemon of this command's own cannot.
    if (options.open && url && hasDisplay() && !bridge.remote) void openBrowser(url);
  };

  let flowId: string | undefined;
  const early: SignInProgress[] = [];
  let handle: (p: SignInProgress) => void = (p) => early.push(p);
  const off = bridge.on(options.event, (p) => handle(p));
  const onSignal = () => {
    if (flowId) void options.cancel(flowId);
  };
  process.once('SIGINT', onSignal);
  try {
    return await new Promise<number>((resolve) => {
      const step = (p: SignInProgress) => {
        if (p.flowId !== flowId) return;
        switch (p.phase) {
          case 'starting':
            return;
          case 'open-url':
            if (options.json) emit({ event: 'open-url', url: p.url });
            else ctx.out(`Open this address to sign in to ${options.name}:\n  ${p.url}`);
            openInBrowser(p.url);
            return;
          case 'device-code': {
            const expiresIn = p.expiresAt ? Math.max(0, Math.round((p.expiresAt - Date.now()) / 1000)) : undefined;
            if (options.json) {
              emit({ event: 'device-code', userCode: p.userCode, verificationUri: p.verificationUri, verificationUriComplete: p.verificationUriComplete, expiresIn });
            } else {
              ctx.out(`Go to ${p.verificationUri} and enter the code  ${p.userCode}  (${p.expiresAt ? inMinutes(p.expiresAt) : 'expires soon'}).`);
              ctx.out('Waiting for you to approve… (Ctrl+C cancels)');
            }
            openInBrowser(p.verificationUriComplete ?? p.verificationUri);
            return;
          }
          case 'need-code':
            if (options.json) emit({ event: 'need-code' });
            void options.onNeedCode?.(p.flowId);
            return;
          case 'connected': {
            const shown = options.connected(p);
            if (options.json) emit({ event: 'connected', ...shown.json });
            else for (const line of shown.lines) ctx.out(line);
            resolve(0);
            return;
          }
          case 'error':
            fail(p.error?.code, `${options.name}: ${p.error?.message ?? 'sign-in failed'}`);
            resolve(1);
            return;
          case 'cancelled':
            fail('cancelled', 'Sign-in was cancelled.');
            resolve(1);
            return;
        }
      };
      handle = step;
      options
        .start()
        .then(({ flowId: id }) => {
          flowId = id;
          for (const p of early.splice(0)) step(p);
        })
        .catch((error: { code?: string; message: string }) => {
          fail(error.code ?? 'error', error.message);
          resolve(1);
        });
    });
  } finally {
    off();
    process.off('SIGINT', onSignal);
  }
}
