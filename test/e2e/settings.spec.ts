import fs from 'node:fs';
import path from 'node:path';
import { expect, openDashboard, saveScreenshot, test } from './fixtures.js';

test('a setting change persists across a reload and reaches a second window live', async ({ page, context, host }) => {
  await openDashboard(page, host);
  const second = await context.newPage();
  await second.goto(`${host.origin}/#/settings`);
  await expect(second.getByLabel('Font size')).toHaveValue('13');

  await page.keyboard.press('ControlOrMeta+5');
  const fontSize = page.getByLabel('Font size');
  await expect(fontSize).toHaveValue('13');
  await fontSize.fill('15');
  await fontSize.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();

  // Pushed to the other window by the settings.changed event, no reload there.
  await expect(second.getByLabel('Font size')).toHaveValue('15');

  await page.getByRole('switch', { name: 'Desktop notifications' }).click();
  await expect(page.getByRole('switch', { name: 'Desktop notifications' })).toHaveAttribute('aria-checked', 'false');
  await expect(second.getByRole('switch', { name: 'Desktop notifications' })).toHaveAttribute('aria-checked', 'false');

  await page.getByRole('radio', { name: 'Dark' }).click();
  await expect(second.locator('html')).toHaveAttribute('data-theme', 'dark');

  await page.reload();
  await expect(page.getByLabel('Font size')).toHaveValue('15');
  await expect(page.getByRole('switch', { name: 'Desktop notifications' })).toHaveAttribute('aria-checked', 'false');
  await expect(page.getByRole('radio', { name: 'Dark' })).toHaveAttribute('aria-checked', 'true');

  // And it is what the daemon wrote to disk.
  const stored = JSON.parse(fs.readFileSync(path.join(host.dataDir, 'settings.json'), 'utf8')) as Record<string, unknown>;
  expect(stored).toMatchObject({ terminalFontSize: 15, notifications: false, theme: 'dark' });
});

test('an invalid value is refused with the reason and the typed text is kept', async ({ page, context, host }) => {
  await openDashboard(page, host);
  await page.keyboard.press('ControlOrMeta+5');
  const fontSize = page.getByLabel('Font size');
  await fontSize.fill('99');
  await fontSize.press('Enter');

  const alert = page.getByRole('alert').filter({ hasText: /32/ });
  await expect(alert).toBeVisible();
  await expect(fontSize).toHaveAttribute('aria-invalid', 'true');
  await expect(fontSize).toHaveAccessibleDescription(/32/);
  // Nothing lost: the box still holds what was typed.
  await expect(fontSize).toHaveValue('99');
  await saveScreenshot(page, 'settings-invalid-light');

  // The daemon kept the old value: a fresh window shows it.
  const other = await context.newPage();
  await other.goto(`${host.origin}/#/settings`);
  await expect(other.getByLabel('Font size')).toHaveValue('13');

  const family = page.getByLabel('Font family');
  await family.fill('');
  await family.press('Tab');
  await expect(page.getByRole('alert').filter({ hasText: /character/ })).toBeVisible();
  await expect(family).toHaveValue('');

  // Correcting the value clears the message and saves.
  await fontSize.fill('20');
  await fontSize.press('Enter');
  await expect(alert).toHaveCount(0);
  await expect(other.getByLabel('Font size')).toHaveValue('20');

  // Escape gives back the saved value.
  await family.focus();
  await family.press('Escape');
  await expect(family).toHaveValue(/Menlo/);
});
