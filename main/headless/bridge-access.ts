import fs from 'node:fs';
import path from 'node:path';
import type { EventName, EventPayload, MethodArgs, MethodName, MethodResult, RelayApi } from '../../preload/contract.js';
import { BridgeError } from '../core/bridge/errors.js';
import { createLogger } from '../core/logging/logger.js';
import { createService } from '../core/service.js';
import { JsonFileSettingsStore } from '../core/settings/settings-store.js';
import { APP_VERSION } from '../core/base/version.js';
import { connectToDaemon, NoDaemonError } from './daemon-connection.js';

/** The Electron app keeps its vault in electron-store under this name; only the app can decrypt it. */
export const ELECTRON_VAULT_FILE = 'vault.json';

export interface BridgeAccess extends RelayApi {
  /** Through the running app (true) or a daemon of this command's own (false). */
  readonly remote: boolean;
  close(): Promise<void>;
}

/**
 * The contract for commands that work whether or not the app runs: through the running daemon when
 * there is one (so it sees the change at once), else in this process over the same data dir.
 */
export async function openBridge(dataDir: string, options: { providersConfig?: string } = {}): Promise<BridgeAccess> {
  try {
    const { client } = await connectToDaemon(dataDir);
    return { remote: true, call: client.call, on: client.on, close: async () => client.close() };
  } catch (error) {
    if (!(error instanceof NoDaemonError)) throw error;
  }
  if (fs.existsSync(path.join(dataDir, ELECTRON_VAULT_FILE))) {
    throw new BridgeError(
      'app_not_running',
      `The logins in ${dataDir} are kept by the Agent Relay app, encrypted with your system keychain. Start the app, then run this again.`,
    );
  }
  const logger = createLogger({ dir: path.join(dataDir, 'logs'), consoleLevel: 'error' });
  const service = createService({
    host: 'headless',
    version: APP_VERSION,
    dataDir,
    settingsStore: new JsonFileSettingsStore(dataDir),
    logger,
    ...(options.providersConfig ? { providersConfig: options.providersConfig } : {}),
  });
  return {
    remote: false,
    async call<M extends MethodName>(method: M, ...args: MethodArgs<M>): Promise<MethodResult<M>> {
      const reply = await service.dispatcher.dispatch(method, args);
      if (!reply.ok) throw new BridgeError(reply.error.code, reply.error.message);
      return reply.value as MethodResult<M>;
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      return service.events.subscribe((name, payload) => {
        if (name === event) listener(payload as EventPayload<E>);
      });
    },
    close: () => service.close(),
  };
}
