import type { AppInfo, HostKind } from '../../preload/contract.js';
import { AgentNetwork, WITHHELD_ENV } from './network/agent-network.js';
import { TerminalHostClient } from './terminal-host/host-client.js';
import { BridgeError } from './bridge/errors.js';
import type { HostShell } from './base/host-shell.js';
import { findTeam, listTeams } from './network/teams.js';
import { ProviderConnections } from './providers/provider-connections.js';
import type { FetchFunction } from './auth/oauth-client.js';
import type { CredentialVault } from './vault/credential-vault.js';
import { openHeadlessVault } from './vault/headless-vault.js';
import type { VaultProblem } from './vault/vault-types.js';
import { createDispatcher, type Dispatcher, type Handlers } from './bridge/dispatcher.js';
import { EventHub } from './bridge/event-hub.js';
import type { BridgeEndpoint } from './bridge/endpoint.js';
import type { Logger } from './logging/logger.js';
import { SettingsService } from './settings/settings-service.js';
import { SyncService } from './sync/sync-service.js';
import type { SettingsStore } from './settings/settings-store.js';
import type { AgentRuntime } from './agents/agent-runtime.js';
import { SearchQueryError } from './terminal-host/scrollback-index.js';

export type { HostShell } from './base/host-shell.js';

/** Set to 1 to keep the agents inside the daemon (they end with it), as before the terminal host. */
export const IN_PROCESS_AGENTS_ENV = 'AGENT_RELAY_IN_PROCESS_AGENTS';

/** The environment the terminal host (and so every agent) starts with: the daemon's, minus its secrets. */
export function terminalHostEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !WITHHELD_ENV.includes(key)) env[key] = value;
  return env;
}

/**
 * The agents' runtime for a daemon: the terminal host this data folder has (reattached), or one
 * started with the first agent. In-process (undefined) only when asked, or when the host cannot be
 * used (said in the log).
 */
export async function openAgentRuntime(dataDir: string, logger: Logger, version: string): Promise<AgentRuntime | undefined> {
  if (process.env[IN_PROCESS_AGENTS_ENV] === '1') return undefined;
  try {
    return await TerminalHostClient.open({ dataDir, version, logger, env: terminalHostEnv() });
  } catch (error) {
    logger.error('agents run inside the daemon this time: the terminal host cannot be used', { error: (error as Error).message });
    return undefined;
  }
}

export interface ServiceOptions {
  host: HostKind;
  version: string;
  dataDir: string;
  settingsStore: SettingsStore;
  logger: Logger;
  platform?: NodeJS.Platform;
  /** What only some hosts can do (Electron windows); absent headless. */
  shell?: HostShell;
  /** Folder for agents that name none (default: the user's home). */
  defaultAgentCwd?: string;
  /** The credential vault; headless: a key-file cipher in the data dir. */
  openVault?: () => Promise<{ vault: CredentialVault; problem?: VaultProblem }>;
  /** No real key store (Electron on Linux without a keyring): ask before storing secrets. */
  vaultConsentRequired?: boolean;
  /** providers.json (default: in the data dir). */
  providersConfig?: string;
  /** The user's home, for importing local CLI logins (tests point it elsewhere). */
  home?: string;
  /** The HTTP client for provider endpoints (tests may wrap it). */
  fetch?: FetchFunction;
  /** Where the agents' ptys live (the terminal host client); default: in this process. */
  agentRuntime?: AgentRuntime;
  /** Cloud sync tuning (tests shorten the timers; the device name defaults to the host name). */
  sync?: { deviceName?: string; debounceMs?: number; periodMs?: number; leaseTtlSeconds?: number; fetch?: FetchFunction };
}


/** The daemon behind the bridge: one object that implements the contract for every transport. */
export interface RelayService extends BridgeEndpoint {
  readonly dispatcher: Dispatcher;
  readonly events: EventHub;
  readonly settings: SettingsService;
  readonly info: AppInfo;
  readonly agents: AgentNetwork;
  readonly providers: ProviderConnections;
  readonly sync: SyncService;
  /** keepAgents: the agents keep running in the terminal host for the next daemon. */
  close(options?: { keepAgents?: boolean }): Promise<void>;
}

export function createService(options: ServiceOptions): RelayService {
  const logger = options.logger.child('service');
  const events = new EventHub();
  const settings = new SettingsService(options.settingsStore, logger);
  const info: AppInfo = {
    name: 'Agent Relay',
    version: options.version,
    host: options.host,
    platform: options.platform ?? process.platform,
    dataDir: options.dataDir,
    notices: settings.loadProblem ? [settings.loadProblem] : [],
  };

  const providers = new ProviderConnections({
    dataDir: options.dataDir,
    logger: options.logger.child('providers'),
    openVault: options.openVault ?? (() => openHeadlessVault(options.dataDir)),
    ...(options.vaultConsentRequired ? { consentRequired: true } : {}),
    ...(options.providersConfig ? { providersConfig: options.providersConfig } : {}),
    ...(options.home ? { home: options.home } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.shell?.openExternal ? { openUrl: (url: string) => void options.shell?.openExternal?.(url) } : {}),
    onChanged: (state) => events.emit('providers.changed', state),
    onProgress: (progress) => events.emit('providers.signIn', progress),
  });

  const syncFetch = options.sync?.fetch ?? options.fetch;
  const sync = new SyncService({
    providers,
    logger: options.logger.child('sync'),
    ...(syncFetch ? { fetch: syncFetch } : {}),
    ...(options.sync?.deviceName ? { deviceName: options.sync.deviceName } : {}),
    ...(options.sync?.debounceMs !== undefined ? { debounceMs: options.sync.debounceMs } : {}),
    ...(options.sync?.periodMs !== undefined ? { periodMs: options.sync.periodMs } : {}),
    ...(options.sync?.leaseTtlSeconds !== undefined ? { leaseTtlSeconds: options.sync.leaseTtlSeconds } : {}),
    ...(options.shell?.openExternal ? { openUrl: (url: string) => void options.shell?.openExternal?.(url) } : {}),
    onStatus: (status) => events.emit('sync.changed', status),
    onProgress: (progress) => events.emit('sync.signIn', progress),
  });
  // Pull on start (in the background when sync is on).
  void sync.start();

  const agents = new AgentNetwork({
    dataDir: options.dataDir,
    logger: options.logger,
    scrollback: () => settings.get().scrollbackLines,
    autoContinue: () => settings.get().continueOnOtherAccount,
    credentials: providers,
    ...(options.agentRuntime ? { runtime: options.agentRuntime } : {}),
    ...(options.defaultAgentCwd ? { defaultCwd: options.defaultAgentCwd } : {}),
    onAgentsChanged: (list) => events.emit('agents.changed', list),
    onRelayMessage: (message) => events.emit('relay.message', message),
  });

  const handlers: Handlers = {
    'app.info': () => info,
    'app.getSettings': () => settings.get(),
    'app.setSettings': (patch) => {
      const next = settings.update(patch);
      events.emit('settings.changed', next);
      return next;
    },
    'app.getLoginItem': () =>
      options.shell?.loginItem?.get() ?? { supported: false, openAtLogin: false, detail: 'Start at login is available in the desktop app.' },
    'app.setLoginItem': (openAtLogin) => {
      const loginItem = options.shell?.loginItem;
      if (!loginItem) throw new BridgeError('login_item_unsupported', 'Start at login is available in the desktop app, not the web dashboard.');
      const result = loginItem.set(openAtLogin);
      if (!result.ok) throw new BridgeError(result.code, result.message);
      events.emit('app.loginItemChanged', result.state);
      return result.state;
    },
    'app.checkForUpdates': async () =>
      (await options.shell?.checkForUpdates?.()) ?? { kind: 'disabled', reason: 'The headless host is updated with npm, not by itself.' },
    'app.pickFolder': async (request) => {
      const pick = options.shell?.pickFolder;
      return pick ? { supported: true, path: await pick(request) } : { supported: false, path: null };
    },
    'app.openWindow': (route) => ({ opened: options.shell?.openWindow?.(route) ?? false }),

    'providers.list': () => providers.state(),
    'providers.connect': (request) => providers.connect(request),
    'providers.submitCode': ({ flowId, code }) => providers.submitCode(flowId, code),
    'providers.cancel': async (flowId) => {
      await providers.cancel(flowId);
      return null;
    },
    'providers.saveApiKey': (request) => providers.saveApiKey(request),
    'providers.connectSelfHosted': (request) => providers.connectSelfHosted(request),
    'providers.disconnect': ({ provider, accountId }) => providers.disconnect(provider, accountId),
    'providers.setDefault': ({ provider, accountId }) => providers.setDefault(provider, accountId),
    'vault.consent': () => providers.consent(),

    'agents.list': () => agents.list(),
    'agents.spawn': (request) => agents.spawn(request),
    'agents.kill': (name) => agents.kill(name),
    'agents.restart': (name) => agents.restart(name),
    'agents.continueOn': ({ name, account }) => agents.continueOn(name, account),
    'agents.remove': async (name) => {
      await agents.remove(name);
      return null;
    },
    'agents.setAcceptRelay': (name, on) => agents.setAcceptRelay(name, on),

    'terminal.attach': (name, { connection }) => agents.attach(name, connection),
    'terminal.detach': (name, { connection }) => {
      agents.detach(name, connection);
      return null;
    },
    'terminal.ack': (name, chars, { connection }) => {
      agents.ack(name, chars, connection);
      return null;
    },
    'terminal.input': (name, data) => {
      agents.input(name, data);
      return null;
    },
    'terminal.resize': (name, cols, rows) => {
      agents.resize(name, cols, rows);
      return null;
    },
    'terminal.screen': (name) => agents.screen(name),
    'agents.restorable': () => agents.restorableAgents(),
    'agents.restore': async ({ names, resume }) => {
      const started = await agents.restore(names, resume);
      events.emit('agents.changed', agents.list());
      return started;
    },
    'agents.dismissRestore': () => {
      agents.dismissRestore();
      return null;
    },
    'agents.search': async (query) => {
      const started = performance.now();
      try {
        const result = await agents.search(query);
        return { ...result, hits: result.hits.map((hit) => ({ ...hit, before: [...hit.before], after: [...hit.after] })), tookMs: Math.round((performance.now() - started) * 10) / 10 };
      } catch (error) {
        if (error instanceof SearchQueryError || (error as { code?: string }).code === 'invalid_search') throw new BridgeError('invalid_search', (error as Error).message);
        throw error;
      }
    },

    'teams.list': ({ cwd }) => listTeams(cwd),
    'teams.start': (request) => agents.startTeam(findTeam(request.team, request.cwd), request),

    'relay.send': ({ to, body }) => agents.send(to, body),
    'relay.read': (id) => agents.read(id),
    'relay.history': (query) => agents.history(query),

    'sync.status': () => sync.getStatus(),
    'sync.login': (request) => sync.login(request),
    'sync.cancel': (flowId) => {
      sync.cancel(flowId);
      return null;
    },
    'sync.enable': ({ passphrase }) => sync.enable(passphrase),
    'sync.disable': () => sync.disable(),
    'sync.now': () => sync.syncNow(),
    'sync.removeServerData': () => sync.removeServerData(),
    'sync.changePassphrase': ({ current, next }) => sync.changePassphrase(current, next),
    'sync.signOut': () => sync.signOut(),
  };

  return {
    dispatcher: createDispatcher(handlers, logger),
    events,
    settings,
    info,
    agents,
    providers,
    sync,
    async close(closeOptions = {}) {
      await sync.close();
      providers.close();
      await agents.close(closeOptions);
    },
  };
}
