import type { AppInfo, HostKind } from '../../preload/contract.js';
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
}

/** The daemon behind the bridge: one object that implements the contract for every transport. */
export interface RelayService {
  readonly dispatcher: Dispatcher;
  readonly events: EventHub;
  readonly settings: SettingsService;
  readonly info: AppInfo;
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

  const handlers: Handlers = {
    'app.info': () => info,
    'app.getSettings': () => settings.get(),
    'app.setSettings': (patch) => {
      const next = settings.update(patch);
      events.emit('settings.changed', next);
      return next;
    },
  };

  return {
    dispatcher: createDispatcher(handlers, logger),
    events,
    settings,
    info,
    async close() {
      // Later parts (agents, sync) stop here.
    },
  };
}
