import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { displayProblem, findElectron, startPlan } from '../../../scripts/electron-runtime.mjs';
import { makeTempDir } from '../../support/temp-dir.js';

/** A project folder with node_modules/electron as npm leaves it, optionally with the runtime fetched. */
function project(dir: string, runtime: 'none' | 'path-only' | 'complete'): void {
  const pkg = path.join(dir, 'node_modules', 'electron');
  fs.mkdirSync(pkg, { recursive: true });
  fs.writeFileSync(path.join(pkg, 'package.json'), '{"name":"electron"}');
  if (runtime === 'none') return;
  fs.writeFileSync(path.join(pkg, 'path.txt'), 'electron');
  fs.mkdirSync(path.join(pkg, 'dist'));
  if (runtime === 'complete') fs.writeFileSync(path.join(pkg, 'dist', 'electron'), '');
}

describe('Electron runtime detection', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  afterEach(() => tmp.cleanup());

  it('says the runtime is not installed when the package has no dist (an install without the download)', () => {
    tmp = makeTempDir();
    project(tmp.dir, 'none');
    expect(findElectron({ root: tmp.dir, env: {} })).toEqual({
      available: false,
      reason: 'Electron runtime not installed (node_modules/electron/dist is missing; fetch it with `npx install-electron`)',
    });
  });

  it('says which file is missing when the download was interrupted', () => {
    tmp = makeTempDir();
    project(tmp.dir, 'path-only');
    const found = findElectron({ root: tmp.dir, env: {} });
    expect(found).toMatchObject({ available: false });
    if (!found.available) expect(found.reason).toContain('node_modules/electron/dist has no electron');
  });

  it('finds a fetched runtime, or the one ELECTRON_OVERRIDE_DIST_PATH points at', () => {
    tmp = makeTempDir();
    project(tmp.dir, 'complete');
    expect(findElectron({ root: tmp.dir, env: {} })).toEqual({
      available: true,
      executable: path.join(tmp.dir, 'node_modules', 'electron', 'dist', 'electron'),
    });
    const override = path.join(tmp.dir, 'custom');
    fs.mkdirSync(override);
    expect(findElectron({ root: tmp.dir, env: { ELECTRON_OVERRIDE_DIST_PATH: override } })).toMatchObject({ available: false });
    fs.writeFileSync(path.join(override, 'electron'), '');
    expect(findElectron({ root: tmp.dir, env: { ELECTRON_OVERRIDE_DIST_PATH: override } })).toEqual({
      available: true,
      executable: path.join(override, 'electron'),
    });
  });

  it('needs DISPLAY or WAYLAND_DISPLAY on Linux, nothing on macOS and Windows', () => {
    expect(displayProblem({}, 'linux')).toBe('No display found (neither DISPLAY nor WAYLAND_DISPLAY is set)');
    expect(displayProblem({ DISPLAY: ':0' }, 'linux')).toBeUndefined();
    expect(displayProblem({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toBeUndefined();
    expect(displayProblem({}, 'darwin')).toBeUndefined();
    expect(displayProblem({}, 'win32')).toBeUndefined();
  });

  it('plans Electron only with both a runtime and a display', () => {
    tmp = makeTempDir();
    project(tmp.dir, 'complete');
    expect(startPlan({ root: tmp.dir, env: { DISPLAY: ':0' }, platform: 'linux' })).toMatchObject({ mode: 'electron' });
    expect(startPlan({ root: tmp.dir, env: {}, platform: 'linux' })).toEqual({
      mode: 'headless',
      reason: 'No display found (neither DISPLAY nor WAYLAND_DISPLAY is set)',
    });
  });
});
