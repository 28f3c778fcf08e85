import fs from 'node:fs';
import { DEFAULT_SETTINGS, Settings, type SettingsPatch } from '../../../preload/contract.js';
import { withFileLockSync } from '../base/file-lock.js';
import type { Logger } from '../logging/logger.js';
import type { SettingsStore } from './settings-store.js';

/**
 * Settings with defaults, validation and persistence. A stored file that cannot be read is kept
 * aside as a backup and reported, never silently overwritten.
 */
export class SettingsService {
  private current: Settings;
  /** A sentence for the UI when the stored settings could not be used, else undefined. */
  readonly loadProblem: string | undefined;

  constructor(
    private readonly store: SettingsStore,
    private readonly logger: Logger,
  ) {
    const { settings, problem } = this.load();
    this.current = settings;
    this.loadProblem = problem;
  }

  get(): Settings {
    return { ...this.current };
  }

  /**
   * Applies `patch` to what is stored now, holding the settings file's lock: another process's
   * change made since this one loaded is kept, not overwritten with a stale copy. A writer that
   * cannot get the lock throws `data_busy` (base/file-lock) and changes nothing.
   */
  update(patch: SettingsPatch): Settings {
    // A bad patch is refused before anything is locked or read.
    Settings.parse({ ...this.current, ...patch });
    return withFileLockSync(this.store.location, (lock) => {
      const stored = this.load().settings;
      const merged = Settings.parse({ ...stored, ...patch });
      lock.assertHeld();
      this.store.write(merged);
      this.current = merged;
      return this.get();
    });
  }

  private load(): { settings: Settings; problem?: string } {
    let raw: unknown;
    try {
      raw = this.store.read();
    } catch (error) {
      return this.setAside(`could not be read (${(error as Error).message})`);
    }
    if (raw === undefined) return { settings: { ...DEFAULT_SETTINGS } };
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      return this.setAside('does not hold a settings object');
    }
    // Keep every valid stored value; fall back to the default for each invalid or missing one.
    const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    const invalid: string[] = [];
    for (const [key, value] of Object.entries(raw)) {
      if (!(key in Settings.shape)) continue;
      const field = Settings.shape[key as keyof Settings];
      if (field.safeParse(value).success) merged[key] = value;
      else invalid.push(key);
    }
    if (invalid.length) {
      this.logger.warn('ignored invalid stored settings', { keys: invalid.join(','), file: this.store.location });
    }
    return { settings: Settings.parse(merged) };
  }

  private setAside(reason: string): { settings: Settings; problem: string } {
    const backup = `${this.store.location}.corrupt-${Date.now()}`;
    try {
      fs.renameSync(this.store.location, backup);
    } catch {
      // Not a file we can move (for instance a store that is not file-backed): leave it.
    }
    const problem = `Your settings file ${this.store.location} ${reason}; it was kept as ${backup} and defaults are in use.`;
    this.logger.error(problem);
    return { settings: { ...DEFAULT_SETTINGS }, problem };
  }
}
