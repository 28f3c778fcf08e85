import { openDashboard, saveScreenshot, test, expect } from './fixtures.js';

const PAGES = [
  { name: 'home', hash: '#/', heading: 'Welcome to Agent Relay' },
  { name: 'providers', hash: '#/providers', heading: 'Providers' },
  { name: 'agents', hash: '#/agents', heading: 'Agents' },
  { name: 'messages', hash: '#/messages', heading: 'Messages' },
  { name: 'settings', hash: '#/settings', heading: 'Settings' },
] as const;

for (const theme of ['light', 'dark'] as const) {
  test(`every page renders in the ${theme} theme (screenshots)`, async ({ page, host }) => {
    await page.setViewportSize({ width: 1200, height: 800 });
    await page.emulateMedia({ colorScheme: theme });
    await openDashboard(page, host);
    for (const { name, hash, heading } of PAGES) {
      await page.evaluate((h) => {
        location.hash = h;
      }, hash);
      await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
      if (name === 'settings') await expect(page.getByLabel('Font size')).toHaveValue('13');
      await saveScreenshot(page, `${name}-${theme}`);
    }
  });
}
