import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../base/atomic-file.js';

/**
 * Where settings live. Electron backs this with electron-store; the headless host with a JSON file
 * in the same format (`settings.json`, tab-indented), so both hosts read each other's settings.
 */
export interface SettingsStore {
  /** The raw stored object, or undefined when nothing is stored yet. Throws on unreadable data. */
  read(): unknown;
  write(value: Record<string, unknown>): void;
  /** Where it is kept, for messages. */
  readonly location: string;
}

export const SETTINGS_FILE_NAME = 'settings';

export class JsonFileSettingsStore implements SettingsStore {
  readonly location: string;

  constructor(dataDir: string) {
    this.location = path.join(dataDir, `${SETTINGS_FILE_NAME}.json`);
  }

  read(): unknown {
    let text: string;
    try {
      text = fs.readFileSync(this.location, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    return JSON.parse(text) as unknown;
  }

  write(value: Record<string, unknown>): void {
    // electron-store's own serialisation, so the file is the same whichever host wrote it.
    writeFileAtomic(this.location, JSON.stringify(value, undefined, '\t'));
  }
}
