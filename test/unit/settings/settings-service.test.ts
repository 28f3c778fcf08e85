import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SettingsService } from '../../../main/core/settings/settings-service.js';
import { JsonFileSettingsStore } from '../../../main/core/settings/settings-store.js';
import { DEFAULT_SETTINGS } from '../../../preload/contract.js';
import { captureLogger } from '../../support/capture-logger.js';
import { makeTempDir } from '../../support/temp-dir.js';

describe('settings', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  afterEach(() => tmp.cleanup());
  const file = () => path.join(tmp.dir, 'settings.json');

  it('start from the defaults and persist changes as electron-store formats them (tab-indented JSON)', () => {
    tmp = makeTempDir();
    const settings = new SettingsService(new JsonFileSettingsStore(tmp.dir), captureLogger().logger);
    expect(settings.get()).toEqual(DEFAULT_SETTINGS);
    settings.update({ terminalFontSize: 15 });
    const text = fs.readFileSync(file(), 'utf8');
    expect(text).toBe(JSON.stringify({ ...DEFAULT_SETTINGS, terminalFontSize: 15 }, undefined, '\t'));
    expect(fs.statSync(file()).mode & 0o777).toBe(0o600);
    // A second service reading the same folder sees the change.
    expect(new SettingsService(new JsonFileSettingsStore(tmp.dir), captureLogger().logger).get().terminalFontSize).toBe(15);
  });

  it('keep a corrupt file aside as a backup, report it and fall back to defaults', () => {
    tmp = makeTempDir();
    fs.writeFileSync(file(), '{"theme": "dark", oops');
    const settings = new SettingsService(new JsonFileSettingsStore(tmp.dir), captureLogger().logger);
    expect(settings.get()).toEqual(DEFAULT_SETTINGS);
    expect(settings.loadProblem).toMatch(/settings file .* could not be read/);
    const backups = fs.readdirSync(tmp.dir).filter((name) => name.startsWith('settings.json.corrupt-'));
    expect(backups).toHaveLength(1);
    expect(fs.readFileSync(path.join(tmp.dir, backups[0]!), 'utf8')).toBe('{"theme": "dark", oops');
  });

  it('keep valid stored values and replace only the invalid ones', () => {
    tmp = makeTempDir();
    fs.writeFileSync(file(), JSON.stringify({ theme: 'light', terminalFontSize: 900, unknownKey: 1 }));
    const settings = new SettingsService(new JsonFileSettingsStore(tmp.dir), captureLogger().logger);
    expect(settings.get()).toEqual({ ...DEFAULT_SETTINGS, theme: 'light' });
    expect(settings.loadProblem).toBeUndefined();
  });

  it('refuse an invalid update and keep the stored file unchanged', () => {
    tmp = makeTempDir();
    const settings = new SettingsService(new JsonFileSettingsStore(tmp.dir), captureLogger().logger);
    settings.update({ theme: 'dark' });
    const before = fs.readFileSync(file(), 'utf8');
    expect(() => settings.update({ scrollbackLines: -5 })).toThrow();
    expect(fs.readFileSync(file(), 'utf8')).toBe(before);
    expect(settings.get().theme).toBe('dark');
  });
});
