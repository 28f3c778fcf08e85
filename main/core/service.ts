import type { AppInfo, HostKind } from '../../preload/contract.js';
import { AgentNetwork } from './agent-network.js';
import { findTeam, listTeams } from './teams.js';
import { createDispatcher, type Dispatcher, type Handlers } from './bridge/dispatcher.js';
import { EventHub } from './events.js';
import type { Logger } from './logging/logger.js';
import { SettingsService } from './settings/settings-service.js';
import type { SettingsStore } from './settings/settings-store.js';

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
}

/** Capabilities the host shell lends the daemon. */
export interface HostShell {
  /** Opens a route (e.g. `#/agents/Alice/console`) in a window of its own. */
  openWindow?(route: string): boolean;
}

/** The daemon behind the bridge: one object that implements the contract for every transport. */
export interface RelayService {
  readonly dispatcher: Dispatcher;
  readonly events: EventHub;
  readonly settings: SettingsService;
  readonly info: AppInfo;
  readonly agents: AgentNetwork;
  close(): Promise<void>;
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

  const agents = new AgentNetwork({
    dataDir: options.dataDir,
    logger: options.logger,
    scrollback: () => settings.get().scrollbackLines,
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
    'app.openWindow': (route) => ({ opened: options.shell?.openWindow?.(route) ?? false }),

    'agents.list': () => agents.list(),
    'agents.spawn': (request) => agents.spawn(request),
    'agents.kill': (name) => agents.kill(name),
    'agents.restart': (name) => agents.restart(name),
    'agents.remove': async (name) => {
      await agents.remove(name);
      return null;
    },

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

    'teams.list': ({ cwd }) => listTeams(cwd),
    'teams.start': (request) => agents.startTeam(findTeam(request.team, request.cwd), request),

    'relay.send': ({ to, body }) => agents.send(to, body),
    'relay.read': (id) => agents.read(id),
    'relay.history': (query) => agents.history(query),
  };

  return {
    dispatcher: createDispatcher(handlers, logger),
    events,
    settings,
    info,
    agents,
    async close() {
      await agents.close();
    },
  };
}
