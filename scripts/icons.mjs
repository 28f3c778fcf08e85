// Renders the app and tray bitmaps from the SVGs in assets/ (run after editing an SVG; the outputs
// are committed). macOS tray: black-with-alpha template images; Linux and Windows tray: colour.
import { Resvg } from '@resvg/resvg-js';
import pngToIco from 'png-to-ico';
import { readFileSync, writeFileSync } from 'node:fs';

const asset = (file) => new URL(`../assets/${file}`, import.meta.url);
const svg = (file) => readFileSync(asset(file), 'utf8');

/** An SVG rendered to a square PNG of `size` pixels, transparent background. */
const render = (source, size) => new Resvg(source, { fitTo: { mode: 'width', value: size } }).render().asPng();

const templateMark = svg('tray/tray-mark.svg').replaceAll('currentColor', '#000000');
const colourMark = svg('tray/tray-color.svg');
const appIcon = svg('icon.svg');

const outputs = [
  ['tray/trayTemplate.png', () => render(templateMark, 16)],
  ['tray/trayTemplate@2x.png', () => render(templateMark, 32)],
  ['tray/tray.png', () => render(colourMark, 32)],
  ['tray/tray.ico', () => pngToIco([16, 20, 24, 32].map((size) => render(colourMark, size)))],
  ['icon.png', () => render(appIcon, 512)],
];

for (const [file, make] of outputs) {
  const data = await make();
  writeFileSync(asset(file), data);
  console.log(`assets/${file} (${data.length} bytes)`);
}
