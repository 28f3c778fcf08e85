import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { connectClient } from '../../main/core/transport/client.js';
import { freshDataDir, startHost, type RunningHost } from '../support/headless-host.js';
import { keyChecksAt, startKeyCheckApi } from '../support/key-check-api.js';
import { expect, openDashboard, SCREENSHOT_DIR, test } from './fixtures.js';
import { approveDevice, runCloud, startCloud, type CloudServer } from '../support/cloud-server.js';

/**
 * Cloud sync from Settings, end to end: the real headless host, the real sync server (its own CLI
 * adds the user), the device code read off the page and approved at the server's own pages.
 */

const EMAIL = 'dev@example.com';
const PASSWORD = 'correct horse battery';
const PASSPHRASE = 'river otter lantern 42';

/** Both colour schemes of one state; kept beside this run's output, copied to test-results at the end. */
async function shoot(page: Page, name: string, target?: Locator): Promise<void> {
  const dir = path.join(test.info().project.outputDir, 'sync-screenshots');
  fs.mkdirSync(dir, { recursive: true });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const file = path.join(dir, `sync-${name}-${scheme}.png`);
    if (target) await target.screenshot({ path: file, animations: 'disabled' });
    else await page.screenshot({ path: file, animations: 'disabled' });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

function copyScreenshots(): void {
  const dir = path.join(test.info().project.outputDir, 'sync-screenshots');
  if (!fs.existsSync(dir)) return;
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  for (const file of fs.readdirSync(dir)) fs.copyFileSync(path.join(dir, file), path.join(SCREENSHOT_DIR, file));
}

/** The person at the browser: the server's device page, the code as the app shows it, sign-in, allow. */
async function approveAtServer(verificationUri: string, userCode: string): Promise<void> {
  const page = await approveDevice(verificationUri, userCode, EMAIL, PASSWORD);
  expect(page.html).toContain('Device connected');
}

async function openCloudSync(page: Page, host: RunningHost): Promise<Locator> {
  await openDashboard(page, host);
  await page.evaluate(() => {
    location.hash = '#/settings/cloud-sync';
  });
  const section = page.getByTestId('cloud-sync');
  await expect(section.getByRole('heading', { name: 'Cloud sync' })).toBeFocused();
  await expect(section).toBeInViewport();
  return section;
}

/** Types the server address, reads the device code off the dialog and approves it at the server. */
async function signInFromSettings(page: Page, section: Locator, cloud: CloudServer, shotName?: string): Promise<void> {
  await section.getByLabel('Sync server').fill(cloud.url);
  await section.getByRole('button', { name: 'Sign in' }).click();
  const dialog = page.getByTestId('sync-signin-dialog');
  await expect(dialog.getByRole('heading', { name: 'Sign in to your sync server' })).toBeVisible();
  const code = dialog.getByTestId('device-code');
  await expect(code).toHaveText(/\S{4,}/);
  await expect(dialog.getByRole('button', { name: 'Copy code' })).toBeVisible();
  await expect(dialog.getByRole('link', { name: /Open 127\.0\.0\.1/ })).toHaveAttribute('href', /user_code=/);
  await expect(dialog).toContainText(/The code expires in \d+:\d\d/);
  await expect(section.getByTestId('sync-state')).toHaveText('Signing in');
  if (shotName) await shoot(page, shotName);
  const uri = await dialog.getByTestId('verification-uri').textContent();
  await approveAtServer(uri!.trim(), (await code.textContent())!.trim());
  await expect(dialog).toBeHidden();
}

test('sign in from Settings, choose a passphrase, see the recovery code once; a second device unlocks and gets the logins', async ({ page, context }) => {
  test.setTimeout(180_000);
  const cloudDir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-cloud-e2e-'));
  const added = await runCloud(['users', 'add', EMAIL, '--password-stdin', '--data-dir', cloudDir], PASSWORD);
  expect(added.code, added.stderr).toBe(0);
  const cloud = await startCloud(cloudDir);
  // The first device checks the OpenAI key it saves against a model list on loopback, not the internet.
  const keyApi = await startKeyCheckApi();
  const dataDirA = freshDataDir();
  fs.writeFileSync(path.join(dataDirA, 'providers.json'), JSON.stringify({ providers: keyChecksAt(keyApi.url) }));
  const host = await startHost({ dataDir: dataDirA });
  let hostB: RunningHost | undefined;
  try {
    // ── First device: off → signing in → choose a passphrase → recovery code → up to date.
    const a = await openCloudSync(page, host);
    await expect(a.getByTestId('sync-state')).toHaveText('Off');
    await expect(a.getByLabel('Sync server')).toHaveAttribute('placeholder', 'https://sync.example.com');
    await shoot(page, 'off', a);

    // A bad address is refused inline and the text stays.
    await a.getByLabel('Sync server').fill('sync.example.com');
    await a.getByRole('button', { name: 'Sign in' }).click();
    await expect(a.getByRole('alert')).toContainText('is not a URL');
    await expect(a.getByLabel('Sync server')).toHaveValue('sync.example.com');

    await signInFromSettings(page, a, cloud, 'signing-in');
    await expect(a.getByTestId('sync-state')).toHaveText('Needs passphrase');
    await expect(a.getByTestId('sync-account')).toHaveText(EMAIL);
    await expect(a.getByTestId('sync-server')).toHaveText(cloud.url);
    const form = a.getByTestId('sync-passphrase-form');
    await expect(form).toContainText('never leaves this device');

    // Typed once only: refused before anything is sent, the draft kept.
    await form.getByLabel('Sync passphrase').fill(PASSPHRASE);
    await form.getByRole('button', { name: 'Turn on sync' }).click();
    await expect(form.getByRole('alert')).toHaveText('Type the passphrase a second time.');
    await expect(form.getByLabel('Sync passphrase')).toHaveValue(PASSPHRASE);
    await form.getByLabel('Repeat the passphrase').fill(PASSPHRASE);
    await expect(form.getByText('Very strong')).toBeVisible();
    await shoot(page, 'choose-passphrase', a);
    await form.getByLabel('Repeat the passphrase').press('Enter');

    const recovery = page.getByTestId('sync-recovery-dialog');
    await expect(recovery.getByRole('heading', { name: 'Save your recovery code' })).toBeVisible();
    const recoveryCode = (await recovery.getByTestId('sync-recovery-code').textContent())!.trim();
    expect(recoveryCode.length).toBeGreaterThan(16);
    await expect(recovery.getByRole('button', { name: 'Copy recovery code' })).toBeVisible();
    await expect(a.getByTestId('sync-state')).toHaveText('Up to date');
    await shoot(page, 'recovery-code');
    // Not closable until the user says it is saved: Esc does nothing, Done is disabled.
    await page.keyboard.press('Escape');
    await expect(recovery).toBeVisible();
    await expect(recovery.getByRole('button', { name: 'Done' })).toBeDisabled();
    await recovery.getByLabel('I saved my recovery code').check();
    await recovery.getByRole('button', { name: 'Done' }).click();
    await expect(recovery).toBeHidden();

    await expect(a.getByTestId('sync-status')).toContainText(/Synced (just now|\d+ seconds ago)/);
    await expect(a.getByRole('switch', { name: 'Sync on this device' })).toHaveAttribute('aria-checked', 'true');
    await shoot(page, 'up-to-date', a);
    // Shown once: a reload does not bring the code back.
    await page.reload();
    await expect(page.getByTestId('cloud-sync').getByTestId('sync-state')).toHaveText('Up to date');
    await expect(page.getByTestId('sync-recovery-dialog')).toHaveCount(0);
    await expect(page.getByText(recoveryCode)).toHaveCount(0);

    // ── Second device: same account, wrong passphrase refused, the right one unlocks.
    hostB = await startHost();
    const pageB = await context.newPage();
    const b = await openCloudSync(pageB, hostB);
    await signInFromSettings(pageB, b, cloud);
    await expect(b.getByTestId('sync-state')).toHaveText('Needs passphrase');
    const unlock = b.getByTestId('sync-passphrase-form');
    await expect(unlock.getByText('Enter your sync passphrase')).toBeVisible();
    await unlock.getByLabel('Passphrase or recovery code').fill('not the passphrase');
    await unlock.getByRole('button', { name: 'Unlock and turn on sync' }).click();
    await expect(unlock.getByRole('alert')).toContainText("That passphrase does not unlock this account's vault.");
    await expect(unlock.getByLabel('Passphrase or recovery code')).toHaveAttribute('aria-invalid', 'true');
    await expect(unlock.getByLabel('Passphrase or recovery code')).toHaveValue('not the passphrase');
    await expect(b.getByTestId('sync-state')).toHaveText('Needs passphrase');
    await shoot(pageB, 'wrong-passphrase', b);
    await unlock.getByLabel('Passphrase or recovery code').fill(PASSPHRASE);
    await unlock.getByLabel('Passphrase or recovery code').press('Enter');
    await expect(b.getByTestId('sync-state')).toHaveText('Up to date');
    // No recovery code on a second device.
    await expect(pageB.getByTestId('sync-recovery-dialog')).toHaveCount(0);

    // ── A provider connected on the first device reaches the second after "Sync now".
    const bridgeA = await connectClient(host.origin, host.token);
    try {
      await bridgeA.call('providers.saveApiKey', { provider: 'openai', apiKey: 'sk-e2e-sync-0123456789abcdef', account: 'Synced key' });
      expect(keyApi.seen).toEqual([{ provider: 'openai', key: 'sk-e2e-sync-0123456789abcdef' }]);
    } finally {
      bridgeA.close();
    }
    await a.getByRole('button', { name: 'Sync now' }).click();
    await expect(a.getByTestId('sync-state')).toHaveText('Up to date');
    await b.getByRole('button', { name: 'Sync now' }).click();
    await expect(b.getByTestId('sync-state')).toHaveText('Up to date');
    await pageB.evaluate(() => {
      location.hash = '#/providers';
    });
    const card = pageB.getByTestId('provider-openai');
    await expect(card).toHaveAttribute('data-state', 'connected');
    await expect(card.getByTestId('account-row').filter({ hasText: 'Synced key' })).toBeVisible();

    // ── Dialogs of the first device: change passphrase, remove data (both cancelled here).
    await a.getByRole('button', { name: 'Change passphrase' }).click();
    const change = page.getByTestId('sync-change-passphrase-dialog');
    await expect(change.getByLabel('Current passphrase or recovery code')).toBeFocused();
    await change.getByLabel('Current passphrase or recovery code').fill('wrong current one');
    await change.getByLabel('New passphrase', { exact: true }).fill('a brand new passphrase');
    await change.getByLabel('Repeat the new passphrase').fill('a brand new passphrase');
    await change.getByRole('button', { name: 'Change passphrase' }).click();
    await expect(change.getByRole('alert')).toContainText("That passphrase does not unlock this account's vault.");
    await shoot(page, 'change-passphrase');
    await page.keyboard.press('Escape');
    await expect(change).toBeHidden();

    await page.getByTestId('sync-danger-zone').getByRole('button', { name: 'Remove…' }).click();
    const remove = page.getByTestId('sync-remove-dialog');
    await expect(remove.getByRole('button', { name: 'Remove my data' })).toBeDisabled();
    await remove.getByLabel('Type REMOVE to confirm').fill('REMOVE');
    await expect(remove.getByRole('button', { name: 'Remove my data' })).toBeEnabled();
    await shoot(page, 'remove-data');
    await remove.getByRole('button', { name: 'Cancel' }).click();
    await expect(remove).toBeHidden();

    // ── Error: the account is removed at the server; the second device is told to sign in again.
    await pageB.evaluate(() => {
      location.hash = '#/settings/cloud-sync';
    });
    const removed = await runCloud(['users', 'remove', EMAIL, '--data-dir', cloudDir]);
    expect(removed.code, removed.stderr).toBe(0);
    await b.getByRole('button', { name: 'Sync now' }).click();
    await expect(b.getByTestId('sync-state')).toHaveText('Error');
    await expect(b.getByRole('button', { name: 'Sign in again' })).toBeVisible();
    await shoot(pageB, 'error', b);

    // ── Offline: the server stops; the first device keeps its changes and says so.
    await cloud.stop();
    await a.getByRole('button', { name: 'Sync now' }).click();
    await expect(a.getByTestId('sync-state')).toHaveText('Offline — changes kept locally');
    await expect(a.getByTestId('sync-status')).toContainText(/Last synced/);
    await shoot(page, 'offline', a);

    // Off keeps the sign-in and says so.
    await a.getByRole('switch', { name: 'Sync on this device' }).click();
    await expect(a.getByTestId('sync-state')).toHaveText('Off');
    await expect(a.getByTestId('sync-status')).toContainText(/sync is off/);
    await shoot(page, 'signed-in-off', a);

    // Turning it back on asks for the passphrase; with the server down the refusal is inline and the draft stays.
    await a.getByRole('switch', { name: 'Sync on this device' }).click();
    const again = a.getByTestId('sync-passphrase-form');
    await again.getByLabel('Passphrase or recovery code').fill(PASSPHRASE);
    await again.getByLabel('Passphrase or recovery code').press('Enter');
    await expect(again.getByRole('alert')).toBeVisible();
    await expect(again.getByLabel('Passphrase or recovery code')).toHaveValue(PASSPHRASE);
    await again.getByRole('button', { name: 'Not now' }).click();
    await expect(a.getByRole('switch', { name: 'Sync on this device' })).toHaveAttribute('aria-checked', 'false');
  } finally {
    copyScreenshots();
    await host.stop();
    fs.rmSync(dataDirA, { recursive: true, force: true });
    await keyApi.close();
    await hostB?.stop();
    if (hostB) fs.rmSync(hostB.dataDir, { recursive: true, force: true });
    await cloud.stop();
    fs.rmSync(cloudDir, { recursive: true, force: true });
  }
});
