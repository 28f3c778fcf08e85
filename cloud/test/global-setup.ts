import { buildCloud } from '../scripts/build.mjs';

/** The cloud tests run the built CLI: bundle it once per run (esbuild, about 100 ms). */
export default async function setup(): Promise<void> {
  await buildCloud({ logLevel: 'warning' });
}
