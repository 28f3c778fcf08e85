import readline from 'node:readline';
import type { SyncStatus } from '../../../preload/contract.js';
import type { CliContext } from '../cli-context.js';
import { openBridge } from '../bridge-access.js';
import { followSignIn, readLineFromStdin } from '../sign-in-session.js';

/** `agent-relay-desktop sync …`: cloud sync through the running app, or in this process. */

const STATE_LABEL: Readonly<Record<SyncStatus['state'], string>> = {
  off: 'Off',
  signing_in: 'Signing in',
  syncing: 'Syncing',
  up_to_date: 'Up to date',
  offline: 'Offline — changes kept locally',
  needs_passphrase: 'Needs passphrase',
  error: 'Error',
};

export function describeSyncStatus(status: SyncStatus): string[] {
  const when = status.state === 'up_to_date' && status.lastSyncAt ? ` (${new Date(status.lastSyncAt).toLocaleTimeString()})` : '';
  const lines = [`Cloud sync: ${STATE_LABEL[status.state]}${when}`];
  if (status.server) lines.push(`Server:     ${status.server}`);
  if (status.account) lines.push(`Account:    ${status.account}`);
  if (status.deviceName) lines.push(`Device:     ${status.deviceName}`);
  if (status.lastSyncAt && status.state !== 'up_to_date') lines.push(`Last sync:  ${new Date(status.lastSyncAt).toLocaleString()}`);
  if (status.message) lines.push(status.message);
  return lines;
}

/** Asks on the terminal without echoing what is typed. */
function promptHidden(question: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    // Echo the question, not the keystrokes.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (s.startsWith(question)) process.stderr.write(question);
    };
    rl.question(question, (answer) => {
      resolve(answer);
      rl.close();
      process.stderr.write('\n');
    });
    rl.once('close', () => resolve(undefined));
  });
}

export interface SyncLoginOptions {
  server: string;
  allowInsecureHttp?: boolean;
  open: boolean;
  json: boolean;
}

/** `sync login`: device-code sign-in to the sync server; exit 0 once signed in. */
export async function syncLogin(ctx: CliContext, options: SyncLoginOptions): Promise<number> {
  const bridge = await openBridge(ctx.dataDir, ctx.providersConfig ? { providersConfig: ctx.providersConfig } : {});
  try {
    return await followSignIn(ctx, {
      bridge,
      event: 'sync.signIn',
      start: () => bridge.call('sync.login', { server: options.server, ...(options.allowInsecureHttp ? { allowInsecureHttp: true } : {}) }),
      cancel: (flowId) => bridge.call('sync.cancel', flowId),
      name: options.server,
      json: options.json,
      open: options.open,
      connected: (p) => ({
        json: { server: options.server, account: p.account?.name },
        lines: [`Signed in to ${options.server} as ${p.account?.name ?? 'your account'}.`, 'Next: agent-relay-desktop sync on   (choose or enter your sync passphrase)'],
      }),
    });
  } finally {
    await bridge.close();
  }
}

/** `sync on`: the passphrase from stdin (--passphrase-stdin) or a hidden prompt on a terminal. */
export async function syncOn(ctx: CliContext, options: { passphraseStdin: boolean; json: boolean }): Promise<number> {
  if (!options.passphraseStdin && !process.stdin.isTTY) {
    ctx.err('No terminal to ask for the sync passphrase: pipe it in with --passphrase-stdin.');
    return 2;
  }
  // Read before anything else runs in this process, so the piped line is there for us.
  let passphrase = options.passphraseStdin ? await readLineFromStdin() : undefined;
  const bridge = await openBridge(ctx.dataDir, ctx.providersConfig ? { providersConfig: ctx.providersConfig } : {});
  try {
    const before = await bridge.call('sync.status');
    if (!before.signedIn) {
      ctx.err('Sign in to a sync server first: agent-relay-desktop sync login --server URL');
      return 1;
    }
    if (options.passphraseStdin) {
      // Read above.
    } else if (before.passphrase === 'choose') {
      ctx.err('Choose a sync passphrase. It never leaves this device; every other device needs it.');
      passphrase = await promptHidden('Sync passphrase: ');
      const again = await promptHidden('Repeat it: ');
      if (passphrase !== again) {
        ctx.err('The two passphrases differ; nothing was changed.');
        return 1;
      }
    } else passphrase = await promptHidden('Sync passphrase (or recovery code): ');
    if (!passphrase) {
      ctx.err('No passphrase given; sync stays off.');
      return 1;
    }
    const { status, recoveryCode } = await bridge.call('sync.enable', { passphrase });
    if (options.json) {
      ctx.out(JSON.stringify({ status, ...(recoveryCode ? { recoveryCode } : {}) }));
      return 0;
    }
    if (recoveryCode) {
      ctx.out('');
      ctx.out('Your recovery code (shown only this once):');
      ctx.out('');
      ctx.out(`    ${recoveryCode}`);
      ctx.out('');
      ctx.out('Write it down and keep it somewhere safe. It unlocks your synced logins if you forget the passphrase;');
      ctx.out('without either, the data on the sync server cannot be recovered by anyone.');
      ctx.out('');
    }
    for (const line of describeSyncStatus(status)) ctx.out(line);
    return status.state === 'error' ? 1 : 0;
  } finally {
    await bridge.close();
  }
}

type SimpleAction = 'off' | 'now' | 'status' | 'remove-server-data';

/** `sync off|now|status|remove-server-data`. */
export async function syncAction(ctx: CliContext, action: SimpleAction, options: { json?: boolean; yes?: boolean } = {}): Promise<number> {
  if (action === 'remove-server-data' && !options.yes) {
    ctx.err('This deletes your encrypted vault, key envelope and devices from the sync server (the logins on this device stay).');
    ctx.err('Run it again with --yes to confirm.');
    return 2;
  }
  const bridge = await openBridge(ctx.dataDir, ctx.providersConfig ? { providersConfig: ctx.providersConfig } : {});
  try {
    let status: SyncStatus;
    switch (action) {
      case 'off':
        status = await bridge.call('sync.disable');
        break;
      case 'now':
        status = await bridge.call('sync.now');
        break;
      case 'status':
        status = await bridge.call('sync.status');
        break;
      case 'remove-server-data':
        status = await bridge.call('sync.removeServerData', { confirm: true });
        break;
    }
    if (options.json) ctx.out(JSON.stringify(status));
    else for (const line of describeSyncStatus(status)) ctx.out(line);
    return action === 'now' && status.state !== 'up_to_date' ? 1 : 0;
  } finally {
    await bridge.close();
  }
}
