import type { Locator, Page } from '@playwright/test';
import { saveScreenshot } from './fixtures.js';
import { chooseOtherWay, expect, gotoHash, openApp, startDeviceSignIn, test } from './provider-ui.js';
import path from 'node:path';
import fs from 'node:fs';
import { SCREENSHOT_DIR } from './fixtures.js';

/** A close-up of one card, beside the full-page shots. */
async function saveCard(card: Locator, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await card.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), animations: 'disabled' });
}

async function dialogShot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), animations: 'disabled' });
}

for (const theme of ['light', 'dark'] as const) {
  test(`onboarding and every provider card state in the ${theme} theme (screenshots)`, async ({ page, host, oidc }) => {
    test.setTimeout(90_000);
    await page.setViewportSize({ width: 1200, height: 800 });
    await page.emulateMedia({ colorScheme: theme });
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });

    // Onboarding on a fresh data dir.
    await page.goto(host.url);
    await expect(page).toHaveURL(/#\/welcome$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Welcome to Agent Relay' })).toBeVisible();
    await expect(page.locator('.onboarding-marks img').first()).toBeVisible();
    await dialogShot(page, `onboarding-welcome-${theme}`);
    await page.getByRole('button', { name: 'Connect providers' }).click();
    await expect(page.getByTestId('provider-anthropic')).toBeVisible();
    await saveScreenshot(page, `onboarding-connect-${theme}`);
    await page.getByRole('button', { name: 'Skip for now' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Ready when you are' })).toBeVisible();
    await dialogShot(page, `onboarding-ready-${theme}`);

    // Not connected.
    await gotoHash(page, '#/providers');
    const card = page.getByTestId('provider-test-oidc');
    await expect(card.getByTestId('provider-state')).toHaveText('Not connected');
    await saveScreenshot(page, `providers-not-connected-${theme}`);
    await saveCard(card, `card-not-connected-${theme}`);
    await saveCard(page.getByTestId('provider-qwen'), `card-qwen-notice-${theme}`);

    // The other ways to sign in.
    await card.getByRole('button', { name: 'Other ways to sign in' }).click();
    await expect(page.getByRole('menu')).toBeVisible();
    await dialogShot(page, `providers-menu-${theme}`);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('menu')).toBeHidden();

    // Browser: waiting, then denied, then the card's Error state.
    await card.getByRole('button', { name: 'Sign in with browser' }).click();
    const browserDialog = page.getByRole('dialog', { name: 'Sign in to Test OIDC' });
    const url = (await browserDialog.getByRole('link', { name: 'Open Test OIDC sign-in' }).getAttribute('href'))!;
    await dialogShot(page, `signin-browser-waiting-${theme}`);
    await oidc.user.authorize(url, { decision: 'deny' });
    await expect(browserDialog.getByText('Sign-in was denied', { exact: true })).toBeVisible();
    await dialogShot(page, `signin-denied-${theme}`);
    await page.keyboard.press('Escape');
    await expect(card.getByTestId('provider-state')).toHaveText('Error');
    await saveCard(card, `card-error-${theme}`);

    // Paste: the page link and the field.
    await chooseOtherWay(card, /Paste a code/);
    const pasteDialog = page.getByRole('dialog', { name: 'Sign in to Test OIDC' });
    await expect(pasteDialog.getByLabel('Paste the code it shows you:')).toBeVisible();
    await pasteDialog.getByLabel('Paste the code it shows you:').fill('not-a-real-code#wrong-state');
    await pasteDialog.getByRole('button', { name: 'Submit code' }).click();
    await expect(pasteDialog.getByRole('alert')).toBeVisible();
    await expect(pasteDialog.getByLabel('Paste the code it shows you:')).toHaveValue('not-a-real-code#wrong-state');
    await dialogShot(page, `signin-paste-refused-${theme}`);
    await page.keyboard.press('Escape');
    await expect(pasteDialog).toBeHidden();

    // Device code: connecting.
    const device = await startDeviceSignIn(card);
    await expect(card.getByTestId('provider-state')).toHaveText('Connecting…');
    await dialogShot(page, `signin-device-code-${theme}`);
    await oidc.user.approveDevice(device.verificationUri, device.userCode, { login: 'alice' });
    await expect(card.getByTestId('provider-headline')).toHaveText('Connected as alice@example.test');
    await saveCard(card, `card-connected-${theme}`);

    // A second account: the Default badge and Make default.
    await chooseOtherWay(card, /Use an API key instead/);
    const keyDialog = page.getByRole('dialog', { name: 'Add a Test OIDC API key' });
    await keyDialog.getByLabel('API key').fill('sk-test-0123456789abcdef');
    await keyDialog.getByLabel(/Account label/).fill('Work');
    await dialogShot(page, `signin-api-key-${theme}`);
    await keyDialog.getByRole('button', { name: 'Save key' }).click();
    await expect(card.getByTestId('account-row')).toHaveCount(2);
    await expect(card.getByText('Default', { exact: true })).toBeVisible();
    await saveCard(card, `card-connected-two-accounts-${theme}`);
    await saveScreenshot(page, `providers-connected-${theme}`);

    // Disconnect asks first.
    await card.getByRole('button', { name: 'Disconnect Work' }).click();
    await expect(page.getByRole('dialog', { name: 'Disconnect account?' })).toBeVisible();
    await dialogShot(page, `disconnect-confirm-${theme}`);
  });
}

test.describe('an account whose refresh token the provider no longer accepts', () => {
  // Access tokens that expire within the refresh window and refresh tokens that are dead by then.
  test.use({ oidcOptions: { deviceInterval: 1, accessTokenTtl: 30, refreshTokenTtl: 3 } });

  test('turns into "Sign in again" after the background refresh (screenshots)', async ({ page, host, oidc }) => {
    test.setTimeout(150_000);
    await openApp(page, host);
    await gotoHash(page, '#/providers');
    const card = page.getByTestId('provider-test-oidc');
    const device = await startDeviceSignIn(card);
    await oidc.user.approveDevice(device.verificationUri, device.userCode, { login: 'erin' });
    await expect(card.getByTestId('provider-headline')).toHaveText('Connected as erin@example.test');
    // The daemon refreshes ahead of expiry once a minute; the refused refresh turns the card.
    await expect(card.getByTestId('provider-state')).toHaveText('Sign in again', { timeout: 100_000 });
    await expect(card.getByTestId('provider-headline')).toHaveText('erin@example.test needs you to sign in again');
    await expect(card.getByRole('button', { name: 'Sign in again' })).toBeEnabled();
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await saveCard(card, `card-sign-in-again-${theme}`);
      await saveScreenshot(page, `providers-sign-in-again-${theme}`);
    }
  });
});
