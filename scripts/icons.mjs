// Renders every app and tray bitmap from the SVGs in assets/ (`npm run icons` after editing an SVG;
// the outputs are committed). macOS tray: black-with-alpha template images; Linux and Windows
// tray: colour. Each tray icon has an "agents running" and a "needs attention" variant.
import { Resvg } from '@resvg/resvg-js';
import pngToIco from 'png-to-ico';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { ICNS_PNG_TYPES, writeIcns } from './icns.mjs';

const asset = (file) => new URL(`../assets/${file}`, import.meta.url);
const svg = (file) => readFileSync(asset(file), 'utf8');

/** An SVG rendered to a square PNG of `size` pixels, transparent background. */
const render = (source, size) => new Resvg(source, { fitTo: { mode: 'width', value: size } }).render().asPng();

/** The mark with a status badge drawn into its empty lower-right quadrant. */
const withBadge = (mark, badge) => mark.replace('</svg>', `${badge.replace(/<!--[\s\S]*?-->\s*/g, '')}</svg>`);

const markSvg = svg('tray/tray-mark.svg');
const colourMark = svg('tray/tray-color.svg');
const runningBadge = svg('tray/tray-badge-running.svg');

/** Tray sources per variant: `template` for macOS (black), `colour` for Windows and Linux. */
const trayVariants = [
  { suffix: '', fileStem: 'tray', template: markSvg, colour: colourMark },
  {
    suffix: 'Running',
    fileStem: 'tray-running',
    template: withBadge(markSvg, runningBadge),
    colour: withBadge(colourMark, runningBadge.replaceAll('currentColor', '#16a34a')),
  },
  {
    suffix: 'Attention',
    fileStem: 'tray-attention',
    template: withBadge(markSvg, svg('tray/tray-badge-attention.svg')),
    colour: withBadge(colourMark, svg('tray/tray-badge-attention-color.svg')),
  },
];

const appIcon = svg('icon.svg');
// macOS draws icons on Apple's grid: the tile fills 824 of 1024 px, so the artwork gets a wider margin.
const macAppIcon = appIcon.replace('viewBox="0 0 512 512"', 'viewBox="-22.25 -22.25 556.5 556.5"');

const WINDOWS_APP_ICON_SIZES = [16, 20, 24, 32, 40, 48, 64, 256];
const LINUX_APP_ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];
const WINDOWS_TRAY_SIZES = [16, 20, 24, 32];

const outputs = [
  ...trayVariants.flatMap(({ suffix, fileStem, template, colour }) => {
    const black = template.replaceAll('currentColor', '#000000');
    return [
      [`tray/tray${suffix}Template.png`, () => render(black, 16)],
      [`tray/tray${suffix}Template@2x.png`, () => render(black, 32)],
      [`tray/${fileStem}.png`, () => render(colour, 32)],
      [`tray/${fileStem}@2x.png`, () => render(colour, 64)],
      [`tray/${fileStem}.ico`, () => pngToIco(WINDOWS_TRAY_SIZES.map((size) => render(colour, size)))],
    ];
  }),
  // The window icon on Linux, loaded at run time.
  ['icon.png', () => render(appIcon, 512)],
  ['icons/icon.icns', () => writeIcns(Object.entries(ICNS_PNG_TYPES).map(([type, size]) => ({ type, data: render(macAppIcon, size) })))],
  ['icons/icon.ico', () => pngToIco(WINDOWS_APP_ICON_SIZES.map((size) => render(appIcon, size)))],
  ...LINUX_APP_ICON_SIZES.map((size) => [`icons/${size}x${size}.png`, () => render(appIcon, size)]),
];

mkdirSync(asset('icons'), { recursive: true });
for (const [file, make] of outputs) {
  const data = await make();
  writeFileSync(asset(file), data);
  console.log(`assets/${file} (${data.length} bytes)`);
}
