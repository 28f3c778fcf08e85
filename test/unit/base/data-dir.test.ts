import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDataDir } from '../../../main/core/base/data-dir.js';

describe('the data dir', () => {
  it('prefers the flag, then AGENT_RELAY_DATA_DIR, then the per-OS folder', () => {
    expect(resolveDataDir('rel/dir', { AGENT_RELAY_DATA_DIR: '/env' })).toBe(path.resolve('rel/dir'));
    expect(resolveDataDir(undefined, { AGENT_RELAY_DATA_DIR: '/env' })).toBe('/env');
    expect(resolveDataDir(undefined, {}, 'linux', '/home/u')).toBe('/home/u/.config/Agent Relay');
    expect(resolveDataDir(undefined, { XDG_CONFIG_HOME: '/xdg' }, 'linux', '/home/u')).toBe('/xdg/Agent Relay');
    expect(resolveDataDir(undefined, {}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/Agent Relay');
    expect(resolveDataDir(undefined, { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u')).toBe(
      path.join('C:\\Users\\u\\AppData\\Roaming', 'Agent Relay'),
    );
  });
});
