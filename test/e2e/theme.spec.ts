import type { Page } from '@playwright/test';
import { expect, openDashboard, test } from './fixtures.js';

/** Relative luminance (0 black … 1 white) of the page's background colour. */
async function backgroundLuminance(page: Page): Promise<{ color: string; luminance: number }> {
  const color = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const [r, g, b] = (color.match(/[\d.]+/g) ?? []).slice(0, 3).map((c) => Number(c) / 255);
  const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return { color, luminance: 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!) };
}

test('with theme System the app follows prefers-color-scheme', async ({ page, host }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await openDashboard(page, host);
  const light = await backgroundLuminance(page);
  expect(light.luminance).toBeGreaterThan(0.8);

  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(async () => (await backgroundLuminance(page)).color).not.toBe(light.color);
  const dark = await backgroundLuminance(page);
  expect(dark.luminance).toBeLessThan(0.1);
  await expect(page.locator('html')).not.toHaveAttribute('data-theme');
});

test('a forced theme wins over the OS and System gives control back', async ({ page, host }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await openDashboard(page, host);
  await page.keyboard.press('ControlOrMeta+5');
  const theme = page.getByRole('radiogroup', { name: 'Theme' });

  await theme.getByRole('radio', { name: 'Dark' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect.poll(async () => (await backgroundLuminance(page)).luminance).toBeLessThan(0.1);

  await page.emulateMedia({ colorScheme: 'dark' });
  await theme.getByRole('radio', { name: 'Light' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect.poll(async () => (await backgroundLuminance(page)).luminance).toBeGreaterThan(0.8);

  await theme.getByRole('radio', { name: 'System' }).click();
  await expect(page.locator('html')).not.toHaveAttribute('data-theme');
  await expect.poll(async () => (await backgroundLuminance(page)).luminance).toBeLessThan(0.1);
});
