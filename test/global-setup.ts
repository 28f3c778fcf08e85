import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** Integration tests run the built CLI; build once when it is missing (npm test builds first anyway). */
export default function setup(): void {
  if (!fs.existsSync('dist/headless/main.js') || !fs.existsSync('dist/renderer/index.html')) {
    execFileSync(process.execPath, ['scripts/build.mjs', '--quiet'], { stdio: 'inherit' });
  }
}
