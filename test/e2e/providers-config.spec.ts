import fs from 'node:fs';
import { writeProvidersJson } from '../support/auth-fixtures.js';
import { freshDataDir, startHost } from '../support/headless-host.js';
import { expect, gotoHash, openApp, test } from './provider-ui.js';

test('a malformed providers.json is listed in a warning, and the built-in providers still work', async ({ page }) => {
  const dataDir = freshDataDir();
  writeProvidersJson(dataDir, { 'broken-one': { name: 'Broken', methods: ['telepathy'] } });
  const host = await startHost({ dataDir });
  try {
    await openApp(page, host);
    await gotoHash(page, '#/providers');
    const banner = page.getByTestId('config-problems');
    await expect(banner).toContainText('Some of providers.json was not used');
    await expect(banner).toContainText('providers.json');
    await expect(banner).toContainText('methods');
    await expect(page.getByTestId('provider-anthropic').getByRole('button', { name: 'Sign in with Claude Code' })).toBeEnabled();
  } finally {
    await host.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test("a provider's address (the tray's Providers submenu opens it) brings its card into view", async ({ page }) => {
  const dataDir = freshDataDir();
  const host = await startHost({ dataDir });
  try {
    await page.setViewportSize({ width: 1200, height: 600 });
    await openApp(page, host);
    await gotoHash(page, '#/providers/openai-compatible');
    const card = page.getByTestId('provider-openai-compatible');
    await expect(card).toBeInViewport();
    await expect(card.getByRole('heading', { level: 3 })).toBeFocused();
  } finally {
    await host.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
