import fs from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { descendantsWithEnv, realClis } from '../support/real-cli-login.js';
import { SCREENSHOT_DIR, expect, test } from './fixtures.js';
import { gotoHash, openApp } from './provider-ui.js';

const clis = realClis();
const reason = 'skip' in clis ? clis.skip : '';

async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), animations: 'disabled' });
}

async function noSeriousAxe(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).include('.signin-dialog').analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
}

/**
 * "Sign in with Claude Code" on the card runs the real `claude auth login` (from AGENT_RELAY_CLIS_DIR)
 * in the daemon: the dialog shows the URL Claude Code printed and a field whose code goes into its
 * prompt, Claude Code's own words when it fails, and Cancel ends it.
 */
for (const theme of ['light', 'dark'] as const) {
  test(`Claude Code signs in from the card: its URL, the code field, its error, Cancel (${theme})`, async ({ page, host }) => {
    test.skip(Boolean(reason), reason);
    test.setTimeout(120_000);
    await page.setViewportSize({ width: 1200, height: 800 });
    await page.emulateMedia({ colorScheme: theme });
    await openApp(page, host);
    await gotoHash(page, '#/providers');
    const card = page.getByTestId('provider-anthropic');
    await expect(card.getByTestId('provider-method-note')).toContainText('used only by Claude Code');

    // Start: the dialog shows the URL the CLI printed, with Open and Copy, and the code field.
    await card.getByRole('button', { name: 'Sign in with Claude Code' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign in with Claude Code' });
    const url = dialog.getByTestId('cli-url');
    await expect(url).toHaveText(/^https:\/\/claude\.com\/cai\/oauth\/authorize\?code=true&client_id=9d1c250a-e61b-44d9-88ed-5944d1962f5e&.*redirect_uri=https%3A%2F%2Fplatform\.claude\.com/);
    await expect(dialog.getByRole('link', { name: 'Open sign-in page' })).toHaveAttribute('href', (await url.textContent())!);
    await expect(dialog.getByRole('button', { name: 'Copy link' })).toBeVisible();
    const field = dialog.getByLabel('Paste the code the page shows you:');
    await expect(dialog.getByText('The code goes straight into Claude Code’s prompt.')).toBeVisible();
    await expect(field).toBeFocused();
    await noSeriousAxe(page);
    await shot(page, `signin-cli-claude-${theme}`);

    // A code Claude Code cannot use: its own output says why.
    await field.fill('not-a-real-code#state');
    await dialog.getByRole('button', { name: 'Submit code' }).click();
    await expect(dialog.getByText('The sign-in did not finish', { exact: true })).toBeVisible({ timeout: 60_000 });
    await expect(dialog.getByTestId('cli-output')).toContainText('Login failed:');
    await noSeriousAxe(page);
    await shot(page, `signin-cli-claude-error-${theme}`);

    // Start again, then Cancel: the dialog closes, the card is back, and the CLI is gone.
    await dialog.getByRole('button', { name: 'Start again' }).click();
    await expect(dialog.getByTestId('cli-url')).toBeVisible();
    const running = () => descendantsWithEnv(host.child.pid!, 'CLAUDE_CONFIG_DIR').filter((p) => p.value.startsWith(host.dataDir));
    await expect.poll(() => running().length).toBeGreaterThan(0);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    await expect(card.getByTestId('provider-state')).toHaveText('Not connected');
    await expect.poll(() => running().length).toBe(0);

    // Signed in (a stand-in writes what Claude Code writes on success): the card names who signed in.
    await card.getByRole('button', { name: 'Sign in with Claude Code' }).click();
    await expect(dialog.getByTestId('cli-url')).toBeVisible();
    const accounts = path.join(host.dataDir, 'accounts', 'anthropic');
    await expect.poll(() => (fs.existsSync(accounts) ? fs.readdirSync(accounts).length : 0)).toBe(1);
    const home = path.join(accounts, fs.readdirSync(accounts)[0]!);
    fs.writeFileSync(
      path.join(home, '.credentials.json'),
      JSON.stringify({ claudeAiOauth: { accessToken: 'sk-ant-oat01-standin', refreshToken: 'sk-ant-ort01-standin', expiresAt: Date.now() + 8 * 3600_000, scopes: ['user:inference'], subscriptionType: 'max' } }),
      { mode: 0o600 },
    );
    const claudeJson = path.join(home, '.claude.json');
    const existing = fs.existsSync(claudeJson) ? (JSON.parse(fs.readFileSync(claudeJson, 'utf8')) as object) : {};
    fs.writeFileSync(claudeJson, JSON.stringify({ ...existing, oauthAccount: { emailAddress: 'ada@example.com', accountUuid: 'u-1' } }), { mode: 0o600 });
    await expect(dialog).toBeHidden({ timeout: 30_000 });
    await expect(card.getByTestId('provider-headline')).toHaveText('Connected as ada@example.com · signed in by Claude Code');
    await expect(card.getByTestId('account-row')).toContainText('Max plan');
    await expect(card.getByTestId('account-row')).toContainText('signed in by Claude Code');
    await card.screenshot({ path: path.join(SCREENSHOT_DIR, `card-cli-connected-${theme}.png`), animations: 'disabled' });
  });
}
