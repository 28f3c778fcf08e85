// electron-builder afterPack hook: refuses a package whose node-pty cannot start a terminal on the
// OS and arch it was built for (its native binaries must sit unpacked next to app.asar).
import fs from 'node:fs';
import path from 'node:path';

// electron-builder's Arch enum, by value.
const ARCH_NAMES = { 0: 'ia32', 1: 'x64', 2: 'armv7l', 3: 'arm64', 4: 'universal' };

/**
 * The node-pty files that must exist under app.asar.unpacked/node_modules/node-pty.
 * @param {string} platform electron platform name: darwin, win32, linux
 * @param {string} arch x64, arm64, …
 * @returns {string[]}
 */
export function requiredNodePtyFiles(platform, arch) {
  switch (platform) {
    case 'darwin':
      return [`prebuilds/darwin-${arch}/pty.node`, `prebuilds/darwin-${arch}/spawn-helper`];
    case 'win32':
      // conpty/: the conpty.dll and OpenConsole.exe that agents run on (pty-session passes useConptyDll).
      return [
        `prebuilds/win32-${arch}/pty.node`,
        `prebuilds/win32-${arch}/conpty.node`,
        `prebuilds/win32-${arch}/winpty-agent.exe`,
        `prebuilds/win32-${arch}/conpty/conpty.dll`,
        `prebuilds/win32-${arch}/conpty/OpenConsole.exe`,
      ];
    case 'linux':
      // Compiled by npm ci for the machine it ran on: a Linux package is built on its own arch.
      return ['build/Release/pty.node'];
    default:
      throw new Error(`No node-pty file list for platform ${platform}`);
  }
}

/** Where app.asar.unpacked is inside a packaged app directory. */
function unpackedDir(appOutDir, platform, productFilename) {
  return platform === 'darwin'
    ? path.join(appOutDir, `${productFilename}.app`, 'Contents', 'Resources', 'app.asar.unpacked')
    : path.join(appOutDir, 'resources', 'app.asar.unpacked');
}

/** @returns {string[]} the required files that are missing (empty when the package is good) */
export function missingNodePtyFiles(appOutDir, platform, arch, productFilename) {
  const base = path.join(unpackedDir(appOutDir, platform, productFilename), 'node_modules', 'node-pty');
  return requiredNodePtyFiles(platform, arch)
    .map((file) => path.join(base, file))
    .filter((file) => !fs.existsSync(file));
}

/** @param {{ electronPlatformName: string, arch: number, appOutDir: string, packager: { appInfo: { productFilename: string } } }} context */
export default async function afterPack(context) {
  const platform = context.electronPlatformName;
  const arch = ARCH_NAMES[context.arch] ?? String(context.arch);
  if (platform === 'linux' && arch !== process.arch) {
    throw new Error(`node-pty for Linux ${arch} cannot be packaged on ${process.arch}: build the Linux package on a ${arch} machine.`);
  }
  const missing = missingNodePtyFiles(context.appOutDir, platform, arch, context.packager.appInfo.productFilename);
  if (missing.length > 0) {
    throw new Error(
      `node-pty's native files for ${platform}-${arch} are missing from the package, so agents could not start:\n  ${missing.join('\n  ')}\n` +
        'Build each OS on its own machine (npm ci there installs its binaries), as .github/workflows/release.yml does.',
    );
  }
}
