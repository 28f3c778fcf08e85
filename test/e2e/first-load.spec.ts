import type { Page } from '@playwright/test';
import { expect, openDashboard, test } from './fixtures.js';

/** Every request that failed or answered 4xx/5xx, and every console error or warning, from now on. */
function watchForProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`failed: ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()}: ${response.request().method()} ${response.url()}`);
  });
  return problems;
}

const redact = (problems: string[], token: string) => problems.map((p) => p.replaceAll(token, '…'));

test('the printed link loads the dashboard without a failed request or a console error', async ({ page, host }) => {
  const problems = watchForProblems(page);
  await openDashboard(page, host);
  // Everything the first screen loads: provider logos on the welcome page, the icon, the bridge.
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByTestId('app-host')).toHaveText('headless');
  await page.waitForLoadState('networkidle');
  expect(redact(problems, host.token)).toEqual([]);
  // The tab shows the app's icon rather than asking for a /favicon.ico that is not there.
  expect(await page.locator('link[rel="icon"]').getAttribute('href')).toMatch(/\.svg$/);
});

test('reloading and visiting every page stays free of failed requests and console errors', async ({ page, host }) => {
  await openDashboard(page, host);
  // Let the first load finish: a reload aborts what the old page still fetches, as it should.
  await page.waitForLoadState('networkidle');
  const problems = watchForProblems(page);
  await page.reload();
  await expect(page.getByTestId('app-host')).toHaveText('headless');
  await page.waitForLoadState('networkidle');
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const name of [/Home/, /Providers/, /Agents/, /Messages/, /Settings/]) {
    await nav.getByRole('link', { name }).click();
    await expect(nav.getByRole('link', { name })).toHaveAttribute('aria-current', 'page');
    await page.waitForLoadState('networkidle');
  }
  expect(redact(problems, host.token)).toEqual([]);
});
