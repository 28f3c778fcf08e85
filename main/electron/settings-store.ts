import path from 'node:path';
import { SETTINGS_FILE_NAME, type SettingsStore } from '../core/settings/settings-store.js';

/** The part of an electron-store (a `conf` instance) this adapter uses. */
export interface ConfLike {
  store: Record<string, unknown>;
}

export interface ConfOptions {
  name: string;
  cwd: string;
  configFileMode: number;
}

/** `(options) => new ElectronStore(options)` in the app; a plain `conf` in tests. */
export type ConfFactory = (options: ConfOptions) => ConfLike;

/**
 * Settings kept with electron-store as `<dataDir>/settings.json`: the same file, in the same
 * tab-indented JSON, as the headless host's JsonFileSettingsStore, so both hosts share it.
 */
export class ElectronSettingsStore implements SettingsStore {
  readonly location: string;
  // electron-store parses the file in its constructor, so it is created when first needed: a
  // corrupt file then throws from read(), where SettingsService sets it aside and reports it.
  private conf: ConfLike | undefined;

  constructor(
    private readonly dataDir: string,
    private readonly factory: ConfFactory,
  ) {
    this.location = path.join(dataDir, `${SETTINGS_FILE_NAME}.json`);
  }

  read(): unknown {
    const conf = this.open();
    const value = conf.store;
    return Object.keys(value).length === 0 ? undefined : value;
  }

  write(value: Record<string, unknown>): void {
    this.open().store = { ...value };
  }

  private open(): ConfLike {
    this.conf ??= this.factory({ name: SETTINGS_FILE_NAME, cwd: this.dataDir, configFileMode: 0o600 });
    return this.conf;
  }
}
