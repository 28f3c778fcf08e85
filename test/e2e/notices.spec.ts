import fs from 'node:fs';
import path from 'node:path';
import { freshDataDir, startHost } from '../support/headless-host.js';
import { expect, openDashboard, saveScreenshot, test } from './fixtures.js';

test('a settings file that had to be set aside is reported in a dismissible banner', async ({ page }) => {
  const dataDir = freshDataDir();
  fs.writeFileSync(path.join(dataDir, 'settings.json'), '{ this is not json');
  const host = await startHost({ dataDir });
  try {
    await openDashboard(page, host);
    const notice = page.getByRole('alert').filter({ hasText: 'settings.json' });
    await expect(notice).toContainText('defaults are in use');
    await saveScreenshot(page, 'notice-banner-light');
    await notice.getByRole('button', { name: 'Dismiss notice' }).click();
    await expect(notice).toHaveCount(0);
    // The app works on defaults.
    await page.keyboard.press('ControlOrMeta+5');
    await expect(page.getByLabel('Font size')).toHaveValue('13');
  } finally {
    await host.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
