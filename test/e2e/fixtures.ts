import fs from 'node:fs';
import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { startHost, type RunningHost } from '../support/headless-host.js';

export { expect };

/** Each test gets its own headless host with a fresh data dir, stopped with SIGTERM afterwards. */
export const test = base.extend<{ host: RunningHost }>({
  // Playwright reads a fixture's dependencies from this pattern; this one has none.
  // eslint-disable-next-line no-empty-pattern
  host: async ({}, use) => {
    const host = await startHost();
    try {
      await use(host);
    } finally {
      await host.stop();
      fs.rmSync(host.dataDir, { recursive: true, force: true });
    }
  },
});

/** Opens the printed dashboard link (sign-in page → /_auth cookie exchange → app) and waits for the shell. */
export async function openDashboard(page: Page, host: RunningHost): Promise<void> {
  await page.goto(host.url);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(page.getByTestId('app-host')).toHaveText(/\S/);
}

export const SCREENSHOT_DIR = path.resolve('test-results', 'screenshots');

export async function saveScreenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  // The app scrolls inside its content pane, so grow the window to show all of it, then shrink back.
  const size = page.viewportSize() ?? { width: 1200, height: 800 };
  const overflow = await page.evaluate(() => {
    const content = document.querySelector('main');
    return content ? content.scrollHeight - content.clientHeight : 0;
  });
  if (overflow > 0) await page.setViewportSize({ width: size.width, height: size.height + overflow });
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  if (overflow > 0) await page.setViewportSize(size);
  return file;
}

export const APP_VERSION = (JSON.parse(fs.readFileSync(path.resolve('package.json'), 'utf8')) as { version: string }).version;
