import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { ICNS_PNG_TYPES } from '../../../scripts/icns.mjs';
import { TRAY_ICON_VARIANTS, trayIconFile } from '../../../main/electron/tray-icon.js';
import { icnsImages, icoImages, pngSize } from './image-formats.js';

const assets = path.resolve('assets');
const read = (file: string) => fs.readFileSync(path.join(assets, file));
const square = (size: number) => ({ width: size, height: size });

describe('app icons, at the sizes each platform needs', () => {
  it('macOS: an .icns with 16 to 1024 px PNG entries, each the size its type stands for', () => {
    const entries = icnsImages(read('icons/icon.icns'));
    expect(entries.map((entry) => entry.type).sort()).toEqual(Object.keys(ICNS_PNG_TYPES).sort());
    for (const { type, size } of entries) expect(size, type).toEqual(square(ICNS_PNG_TYPES[type as keyof typeof ICNS_PNG_TYPES]));
    // Finder and the Dock need 512 pt at @2x; electron-builder refuses an app icon below 512.
    expect(entries.find((entry) => entry.type === 'ic10')?.size).toEqual(square(1024));
  });

  it('Windows: an .ico with 16, 20, 24, 32, 40, 48, 64 and 256 px images, each as large as its entry says', () => {
    const images = icoImages(read('icons/icon.ico'));
    expect(images.map((image) => image.claimed.width)).toEqual([16, 20, 24, 32, 40, 48, 64, 256]);
    for (const { claimed, actual } of images) expect(actual).toEqual(claimed);
  });

  it('Linux: NxN.png from 16 to 512 px in assets/icons, as electron-builder reads an icon folder', () => {
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512]) {
      expect(pngSize(read(`icons/${size}x${size}.png`)), `${size}x${size}.png`).toEqual(square(size));
    }
    // The window icon loaded at run time on Linux.
    expect(pngSize(read('icon.png'))).toEqual(square(512));
  });
});

describe('tray icons, with a variant for each state', () => {
  it('macOS: black template images at 16 px and @2x 32 px for idle, running and attention', () => {
    for (const variant of TRAY_ICON_VARIANTS) {
      const file = trayIconFile(assets, 'darwin', variant);
      expect(path.basename(file)).toMatch(/Template\.png$/);
      const retina = file.replace(/\.png$/, '@2x.png');
      for (const [image, size] of [[file, 16], [retina, 32]] as const) {
        const png = PNG.sync.read(fs.readFileSync(image));
        expect({ width: png.width, height: png.height }, image).toEqual(square(size));
        let opaque = 0;
        for (let i = 0; i < png.data.length; i += 4) {
          // macOS recolours a template from its alpha alone: every pixel is black, only alpha varies.
          if (png.data[i + 3]! > 0) expect([png.data[i], png.data[i + 1], png.data[i + 2]], image).toEqual([0, 0, 0]);
          if (png.data[i + 3] === 255) opaque += 1;
        }
        expect(opaque, image).toBeGreaterThan(size);
      }
    }
  });

  it('Windows: an .ico with 16, 20, 24 and 32 px images per state', () => {
    for (const variant of TRAY_ICON_VARIANTS) {
      const images = icoImages(fs.readFileSync(trayIconFile(assets, 'win32', variant)));
      expect(images.map((image) => image.claimed.width)).toEqual([16, 20, 24, 32]);
      for (const { claimed, actual } of images) expect(actual).toEqual(claimed);
    }
  });

  it('Linux: a 32 px PNG (and 64 px @2x) per state', () => {
    for (const variant of TRAY_ICON_VARIANTS) {
      const file = trayIconFile(assets, 'linux', variant);
      expect(pngSize(fs.readFileSync(file))).toEqual(square(32));
      expect(pngSize(fs.readFileSync(file.replace(/\.png$/, '@2x.png')))).toEqual(square(64));
    }
  });

  it('each state looks different from the others on every platform', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      const bytes = TRAY_ICON_VARIANTS.map((variant) => fs.readFileSync(trayIconFile(assets, platform, variant)).toString('base64'));
      expect(new Set(bytes).size, platform).toBe(TRAY_ICON_VARIANTS.length);
    }
  });
});
