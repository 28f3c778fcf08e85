import asar from '@electron/asar';
import { Ajv } from 'ajv';
import { Arch, build, Platform } from 'electron-builder';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';
import { Minimatch } from 'minimatch';
import { beforeAll, describe, expect, it } from 'vitest';
import afterPack, { missingNodePtyFiles, requiredNodePtyFiles } from '../../../build/after-pack.mjs';
import { makeTempDir } from '../../support/temp-dir.js';

const root = path.resolve('.');
type Config = Record<string, unknown> & {
  files: string[];
  asarUnpack: string[];
  mac: Record<string, unknown> & { target: Array<{ target: string; arch: string[] }>; extendInfo: Record<string, unknown> };
  win: Record<string, unknown> & { target: Array<{ target: string; arch: string[] }> };
  linux: Record<string, unknown> & { target: Array<{ target: string; arch: string[] }> };
  nsis: Record<string, unknown>;
};
const config = load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Config;

/** electron-builder's own check: its JSON schema, compiled with the options it uses itself. */
function schemaErrors(candidate: unknown): string[] {
  const schema = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8')) as object;
  const validate = new Ajv({ allErrors: true, strict: false, coerceTypes: true }).compile(schema);
  return validate(structuredClone(candidate)) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`);
}

describe('electron-builder.yml', () => {
  it('matches electron-builder’s configuration schema', () => {
    expect(schemaErrors(config)).toEqual([]);
  });

  it('is checked for real: a misspelt or mistyped option is refused by the same schema', () => {
    expect(schemaErrors({ ...config, mac: { ...config.mac, hardenedRuntime: 'yes please' } }).length).toBeGreaterThan(0);
    expect(schemaErrors({ ...config, nsis: { ...config.nsis, createStartMenuShortcutt: true } }).length).toBeGreaterThan(0);
  });

  it('names the app and builds dmg + zip for both Mac archs (tray-only), NSIS for x64 + arm64, AppImage + deb', () => {
    expect(config).toMatchObject({ appId: 'dev.agentrelay.desktop', productName: 'Agent Relay' });
    expect(config.mac.target).toEqual([
      { target: 'dmg', arch: ['arm64', 'x64'] },
      { target: 'zip', arch: ['arm64', 'x64'] },
    ]);
    expect(config.mac).toMatchObject({ hardenedRuntime: true, extendInfo: { LSUIElement: true } });
    expect(config.win.target).toEqual([{ target: 'nsis', arch: ['x64', 'arm64'] }]);
    expect(config.nsis).toMatchObject({ createStartMenuShortcut: true });
    expect(config.linux.target.map((target) => target.target)).toEqual(['AppImage', 'deb']);
    expect(config.linux).toMatchObject({ category: 'Development' });
    expect(config.linux.maintainer).toMatch(/<.+@.+>/);
    expect(config.publish).toMatchObject({ provider: 'github' });
  });

  it('grants the hardened runtime only the JIT exceptions Electron needs', () => {
    for (const key of ['entitlements', 'entitlementsInherit'] as const) {
      const plist = fs.readFileSync(path.join(root, config.mac[key] as string), 'utf8');
      expect([...plist.matchAll(/<key>([^<]+)<\/key>/g)].map((match) => match[1])).toEqual([
        'com.apple.security.cs.allow-jit',
        'com.apple.security.cs.allow-unsigned-executable-memory',
      ]);
    }
  });

  it('sets the release fuses and neither rebuilds nor packs node-pty into the asar', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
    });
    expect(config.npmRebuild).toBe(false);
    expect(config.buildDependenciesFromSource).toBe(false);
    expect(config.asarUnpack).toEqual(['node_modules/node-pty/**']);
  });

  it('keeps every file rule at the top level: platform `files` that only exclude make electron-builder 26 pack the whole project', () => {
    for (const platform of ['mac', 'win', 'linux'] as const) expect(config[platform]).not.toHaveProperty('files');
  });

  it('points each platform at an icon that exists', () => {
    expect(fs.existsSync(path.join(root, config.mac.icon as string))).toBe(true);
    expect(fs.existsSync(path.join(root, config.win.icon as string))).toBe(true);
    expect(fs.readdirSync(path.join(root, config.linux.icon as string)).filter((name) => /^\d+x\d+\.png$/.test(name)).length).toBeGreaterThanOrEqual(8);
  });
});

/** electron-builder's file filter: patterns in order, the last one that matches decides (see app-builder-lib/out/util/filter.js). */
function selectedBy(patterns: ReadonlyArray<string>, file: string): boolean {
  let match = false;
  for (const pattern of patterns.map((p) => new Minimatch(p, { dot: true }))) {
    if (match !== pattern.negate) continue;
    match = pattern.match(file);
  }
  return match;
}

function filesUnder(dir: string, prefix: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => `${prefix}/${path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/')}`);
}

describe('node-pty in the macOS and Windows packages (built on their own OS)', () => {
  const ptyFiles = filesUnder(path.join(root, 'node_modules', 'node-pty'), 'node_modules/node-pty');
  // Each OS is packaged on its own runner, where ${platform} is the OS being packaged.
  const patternsFor = (platform: string, arch: string) => config.files.map((pattern) => pattern.replaceAll('${platform}', platform).replaceAll('${arch}', arch));

  for (const [platform, arch] of [['darwin', 'arm64'], ['darwin', 'x64'], ['win32', 'x64'], ['win32', 'arm64']] as const) {
    it(`${platform}-${arch}: keeps its own prebuilt binaries and helpers, drops the other targets' and the debug symbols`, () => {
      const kept = ptyFiles.filter((file) => selectedBy(['**/*', ...patternsFor(platform, arch)], file));
      for (const required of requiredNodePtyFiles(platform, arch)) expect(kept).toContain(`node_modules/node-pty/${required}`);
      expect(kept.filter((file) => file.includes('/prebuilds/') && !file.includes(`/prebuilds/${platform}-${arch}/`))).toEqual([]);
      expect(kept.filter((file) => /\.(pdb|cc|h|gyp)$/.test(file) || file.includes('/deps/'))).toEqual([]);
      // Every kept file is unpacked from the asar.
      for (const file of kept) expect(selectedBy(config.asarUnpack, file), file).toBe(true);
    });
  }
});

describe('the packaged Linux app (electron-builder --dir with a stand-in Electron, offline)', () => {
  let resources: string;
  let packed: string[];
  let unpacked: string[];

  beforeAll(async () => {
    if (!fs.existsSync(path.join(root, 'dist', 'electron', 'main.js')) || !fs.existsSync(path.join(root, 'dist', 'preload', 'index.cjs'))) {
      execFileSync(process.execPath, ['scripts/build.mjs', '--quiet'], { cwd: root, stdio: 'inherit' });
    }
    const tmp = makeTempDir('agent-relay-pack-');
    // electronDist replaces the download: electron-builder copies this folder as the runtime.
    const fakeElectron = path.join(tmp.dir, 'electron-dist');
    fs.mkdirSync(path.join(fakeElectron, 'resources'), { recursive: true });
    fs.writeFileSync(path.join(fakeElectron, 'electron'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    fs.writeFileSync(path.join(fakeElectron, 'LICENSE'), 'MIT');
    fs.writeFileSync(path.join(fakeElectron, 'LICENSES.chromium.html'), '<html></html>');
    fs.writeFileSync(path.join(fakeElectron, 'version'), '45.4.1');
    const testConfig = path.join(tmp.dir, 'electron-builder.json');
    // Fuses are flipped inside the real Electron binary, which the stand-in is not.
    fs.writeFileSync(
      testConfig,
      JSON.stringify({ ...config, electronDist: fakeElectron, electronFuses: null, directories: { ...(config.directories as object), output: path.join(tmp.dir, 'out') } }),
    );
    await build({ projectDir: root, config: testConfig, targets: Platform.LINUX.createTarget('dir', process.arch === 'arm64' ? Arch.arm64 : Arch.x64), publish: 'never' });
    const appOut = fs.readdirSync(path.join(tmp.dir, 'out')).find((name) => name.startsWith('linux') && name.endsWith('unpacked'));
    resources = path.join(tmp.dir, 'out', appOut!, 'resources');
    packed = asar.listPackage(path.join(resources, 'app.asar'), { isPack: false }).map((file) => file.replaceAll('\\', '/'));
    unpacked = filesUnder(path.join(resources, 'app.asar.unpacked'), '');
    return () => tmp.cleanup();
  }, 180_000);

  it('holds the built main, preload and renderer, package.json and the runtime icons', () => {
    for (const file of ['/package.json', '/dist/electron/main.js', '/dist/preload/index.cjs', '/dist/renderer/index.html', '/assets/icon.png', '/assets/tray/tray.png', '/assets/tray/tray-attention.png']) {
      expect(packed, file).toContain(file);
    }
    expect(packed.some((file) => /^\/dist\/renderer\/assets\/index-[\w-]+\.js$/.test(file))).toBe(true);
  });

  it('holds no source maps, sources, tests, build inputs or the headless CLI', () => {
    expect(packed.filter((file) => file.endsWith('.map') && !file.startsWith('/node_modules/'))).toEqual([]);
    expect(packed.filter((file) => /^\/(main|renderer|preload|test|scripts|build|\.github|dist\/headless)\//.test(file))).toEqual([]);
    expect(packed.filter((file) => /^\/assets\/.*\.(svg|icns)$/.test(file))).toEqual([]);
    expect(packed).not.toContain('/electron-builder.yml');
  });

  it('packs the production dependencies the bundle keeps external, and no build tools', () => {
    for (const dependency of ['@xterm/headless', '@xterm/addon-serialize', 'electron-store', 'electron-updater', 'node-pty']) {
      expect(packed, dependency).toContain(`/node_modules/${dependency}/package.json`);
    }
    for (const tool of ['electron', 'electron-builder', 'esbuild', 'vite', 'typescript', '@resvg/resvg-js']) {
      expect(packed, tool).not.toContain(`/node_modules/${tool}/package.json`);
    }
  });

  it('unpacks node-pty whole: its native binary and JavaScript sit next to the asar', () => {
    expect(unpacked).toContain('/node_modules/node-pty/build/Release/pty.node');
    expect(unpacked).toContain('/node_modules/node-pty/lib/index.js');
    expect(unpacked).toContain('/node_modules/node-pty/package.json');
    expect(unpacked.filter((file) => !file.startsWith('/node_modules/node-pty/'))).toEqual([]);
    expect(missingNodePtyFiles(path.dirname(resources), 'linux', process.arch, 'Agent Relay')).toEqual([]);
  });

  it('writes app-update.yml for electron-updater', () => {
    expect(fs.readFileSync(path.join(resources, 'app-update.yml'), 'utf8')).toMatch(/updaterCacheDirName: agent-relay-desktop-updater/);
  });
});

describe('the afterPack check of node-pty', () => {
  it('refuses a package without node-pty’s native files, naming them', async () => {
    const tmp = makeTempDir();
    try {
      await expect(
        afterPack({ electronPlatformName: 'darwin', arch: 3, appOutDir: tmp.dir, packager: { appInfo: { productFilename: 'Agent Relay' } } }),
      ).rejects.toThrow(/node-pty's native files for darwin-arm64 are missing[\s\S]*Agent Relay\.app\/Contents\/Resources\/app\.asar\.unpacked\/node_modules\/node-pty\/prebuilds\/darwin-arm64\/spawn-helper/);
    } finally {
      tmp.cleanup();
    }
  });
});
