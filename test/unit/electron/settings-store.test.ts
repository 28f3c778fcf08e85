import Conf from 'conf';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SettingsService } from '../../../main/core/settings/settings-service.js';
import { JsonFileSettingsStore } from '../../../main/core/settings/settings-store.js';
import { ElectronSettingsStore, type ConfFactory } from '../../../main/electron/settings-store.js';
import { DEFAULT_SETTINGS } from '../../../preload/contract.js';
import { captureLogger } from '../../support/capture-logger.js';
import { makeTempDir } from '../../support/temp-dir.js';

// electron-store is `conf` plus Electron's default folder; with `cwd` given it is exactly this.
const conf: ConfFactory = (options) =>
  new Conf<Record<string, unknown>>({ configName: options.name, cwd: options.cwd, configFileMode: options.configFileMode });

describe('Electron settings store (electron-store)', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  afterEach(() => tmp.cleanup());
  const file = () => path.join(tmp.dir, 'settings.json');

  it('writes <dataDir>/settings.json byte for byte as the headless host does, readable only by the user', () => {
    tmp = makeTempDir();
    const electron = new SettingsService(new ElectronSettingsStore(tmp.dir, conf), captureLogger().logger);
    electron.update({ theme: 'dark', terminalFontSize: 15 });
    const written = fs.readFileSync(file(), 'utf8');
    expect(written).toBe(JSON.stringify({ ...DEFAULT_SETTINGS, theme: 'dark', terminalFontSize: 15 }, undefined, '\t'));
    expect(fs.statSync(file()).mode & 0o777).toBe(0o600);

    // The headless host reads what Electron wrote, and Electron reads what the headless host wrote.
    expect(new SettingsService(new JsonFileSettingsStore(tmp.dir), captureLogger().logger).get().theme).toBe('dark');
    new SettingsService(new JsonFileSettingsStore(tmp.dir), captureLogger().logger).update({ notifications: false });
    expect(new SettingsService(new ElectronSettingsStore(tmp.dir, conf), captureLogger().logger).get()).toMatchObject({
      theme: 'dark',
      notifications: false,
    });
  });

  it('starts from the defaults without creating a file', () => {
    tmp = makeTempDir();
    expect(new SettingsService(new ElectronSettingsStore(tmp.dir, conf), captureLogger().logger).get()).toEqual(DEFAULT_SETTINGS);
    expect(fs.existsSync(file())).toBe(false);
  });

  it('sets a corrupt file aside with a notice and keeps working', () => {
    tmp = makeTempDir();
    fs.writeFileSync(file(), '{"theme": "dark", oops');
    const settings = new SettingsService(new ElectronSettingsStore(tmp.dir, conf), captureLogger().logger);
    expect(settings.get()).toEqual(DEFAULT_SETTINGS);
    expect(settings.loadProblem).toMatch(/could not be read/);
    const backups = fs.readdirSync(tmp.dir).filter((name) => name.startsWith('settings.json.corrupt-'));
    expect(backups).toHaveLength(1);
    settings.update({ theme: 'light' });
    expect(JSON.parse(fs.readFileSync(file(), 'utf8'))).toMatchObject({ theme: 'light' });
  });
});
