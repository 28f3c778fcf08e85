import path from 'node:path';
import { SCREENSHOT_DIR } from './fixtures.js';
import { chooseOtherWay, expect, openProviders, shownCode, startDeviceSignIn, test } from './provider-ui.js';

test('device-code sign-in through the UI, approved on the OAuth server, then disconnect with confirmation', async ({ page, host, oidc }) => {
  const card = await openProviders(page, host);
  await expect(card.getByTestId('provider-state')).toHaveText('Not connected');

  const { dialog, userCode, verificationUri } = await startDeviceSignIn(card);
  await expect(dialog.getByText('Waiting for you to approve…')).toBeVisible();
  await expect(dialog.getByRole('link', { name: 'Open Test OIDC' })).toHaveAttribute('href', new RegExp(`^${oidc.issuer}/device`));
  await expect(card.getByTestId('provider-state')).toHaveText('Connecting…');
  expect(verificationUri.startsWith(oidc.issuer)).toBe(true);

  // The test is the user: enters the code read from the page at the server's own pages, signs in as alice.
  await oidc.user.approveDevice(verificationUri, userCode, { login: 'alice' });

  await expect(dialog).toBeHidden();
  await expect(card.getByTestId('provider-headline')).toHaveText('Connected as alice@example.test');
  await expect(card.getByTestId('provider-state')).toHaveText('Connected');
  await expect(card.getByTestId('account-row')).toContainText(/expires in 5\d minutes/);
  await expect(card.getByTestId('account-row')).toContainText('via device code');

  await card.getByRole('button', { name: 'Disconnect alice@example.test' }).click();
  const confirm = page.getByRole('dialog', { name: 'Disconnect account?' });
  await expect(confirm).toContainText('Disconnect alice@example.test from Test OIDC? Agents using it keep running until they stop.');
  await confirm.getByRole('button', { name: 'Disconnect' }).click();
  await expect(confirm).toBeHidden();
  await expect(card.getByTestId('provider-state')).toHaveText('Not connected');
  await expect(card.getByTestId('provider-note')).toHaveText('Disconnected alice@example.test. Its token was revoked at Test OIDC.');
  await expect(card.getByTestId('account-row')).toHaveCount(0);
});

test('cancelling a running device sign-in stops it: an approval afterwards connects nothing', async ({ page, host, oidc }) => {
  const card = await openProviders(page, host);
  const first = await startDeviceSignIn(card);
  await page.keyboard.press('Escape');
  await expect(first.dialog).toBeHidden();
  await expect(card.getByTestId('provider-state')).toHaveText('Not connected');

  // Alice approves the cancelled code; Bob then signs in with a new one. Only Bob may end up connected.
  await oidc.user.approveDevice(first.verificationUri, first.userCode, { login: 'alice' });
  const second = await startDeviceSignIn(card);
  expect(second.userCode).not.toBe(first.userCode);
  await oidc.user.newBrowser().approveDevice(second.verificationUri, second.userCode, { login: 'bob' });
  await expect(card.getByTestId('provider-headline')).toHaveText('Connected as bob@example.test');
  await expect(card.getByTestId('account-row')).toHaveCount(1);
  await page.reload();
  await expect(page.getByTestId('provider-test-oidc').getByTestId('account-row')).toHaveText(/bob@example\.test/);
  await expect(page.getByTestId('provider-test-oidc').getByTestId('account-row')).toHaveCount(1);
});

test('a denied browser sign-in says so and offers Try again', async ({ page, host, oidc }) => {
  const card = await openProviders(page, host);
  await card.getByRole('button', { name: 'Sign in with browser' }).click();
  const dialog = page.getByRole('dialog', { name: 'Sign in to Test OIDC' });
  const open = dialog.getByRole('link', { name: 'Open Test OIDC sign-in' });
  await expect(open).toHaveAttribute('target', '_blank');
  const url = (await open.getAttribute('href'))!;
  expect(url.startsWith(`${oidc.issuer}/`)).toBe(true);
  await expect(dialog.getByText(/This sign-in stays open for \d:\d\d/)).toBeVisible();

  await oidc.user.authorize(url, { decision: 'deny' });

  await expect(dialog.getByText('Sign-in was denied', { exact: true })).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Try again' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(card.getByTestId('provider-state')).toHaveText('Error');
  await expect(card.getByTestId('provider-note')).toContainText('Sign-in was denied');

  // Try again starts a new sign-in with a new authorize URL, which the user now approves.
  await card.getByRole('button', { name: 'Sign in with browser' }).click();
  const again = page.getByRole('dialog', { name: 'Sign in to Test OIDC' }).getByRole('link', { name: 'Open Test OIDC sign-in' });
  const second = (await again.getAttribute('href'))!;
  expect(second).not.toBe(url);
  await oidc.user.newBrowser().authorize(second, { login: 'carol' });
  await expect(card.getByTestId('provider-headline')).toHaveText('Connected as carol@example.test');
  await expect(card.getByTestId('provider-note')).toHaveCount(0);
});

test('an API key is saved from "Use an API key instead", shown by label, and disconnected', async ({ page, host }) => {
  const card = await openProviders(page, host);
  await chooseOtherWay(card, /Use an API key instead/);
  const dialog = page.getByRole('dialog', { name: 'Add a Test OIDC API key' });
  const key = dialog.getByLabel('API key');
  await key.fill('sk-test-0123456789abcdef');
  await expect(key).toHaveAttribute('type', 'password');
  await dialog.getByRole('button', { name: 'Show key' }).click();
  await expect(key).toHaveAttribute('type', 'text');
  await dialog.getByLabel(/Account label/).fill('Work');
  await dialog.getByRole('button', { name: 'Save key' }).click();
  await expect(dialog).toBeHidden();
  // Test OIDC has no call that checks a key: it is saved, and the card does not claim it works.
  await expect(card.getByTestId('provider-headline')).toHaveText('Key saved as Work, not checked');
  await expect(card.getByTestId('provider-state')).toHaveText('Saved, not checked');
  await expect(card.getByTestId('account-row')).toContainText('via API key, not checked');
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await card.screenshot({ path: path.join(SCREENSHOT_DIR, `card-key-not-checked-${scheme}.png`), animations: 'disabled' });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  // The key never comes back to the page.
  expect(await page.content()).not.toContain('sk-test-0123456789abcdef');
  // Home does not call an unchecked key "connected" either.
  await page.keyboard.press('ControlOrMeta+1');
  await expect(page.getByTestId('home-connected')).toHaveText('Key saved, not checked: Test OIDC.');
  await page.keyboard.press('ControlOrMeta+2');

  await card.getByRole('button', { name: 'Disconnect Work' }).click();
  await page.getByRole('dialog', { name: 'Disconnect account?' }).getByRole('button', { name: 'Disconnect' }).click();
  await expect(card.getByTestId('provider-state')).toHaveText('Not connected');
  await expect(card.getByTestId('provider-note')).toContainText('Disconnected Work.');
});

test('a self-hosted endpoint that is not there shows the daemon\'s error inline', async ({ page, host }) => {
  await openProviders(page, host);
  const card = page.getByTestId('provider-ollama');
  await expect(card.getByLabel('Base URL')).toHaveValue('http://127.0.0.1:11434');
  // Port 9 (discard) on loopback: nothing listens there.
  await card.getByLabel('Base URL').fill('http://127.0.0.1:9');
  await card.getByRole('button', { name: 'Check and connect' }).click();
  await expect(card.getByRole('alert')).toBeVisible();
  await expect(card.getByTestId('provider-state')).toHaveText('Not connected');
});

test('a pasted code#state signs in; a wrong state is refused and the text stays for another try', async ({ page, host, oidc }) => {
  const card = await openProviders(page, host);
  await chooseOtherWay(card, /Paste a code/);
  const dialog = page.getByRole('dialog', { name: 'Sign in to Test OIDC' });
  const url = (await dialog.getByRole('link', { name: 'Open Test OIDC sign-in' }).getAttribute('href'))!;
  const pair = shownCode((await oidc.user.authorize(url, { login: 'frank' })).html);
  const [code] = pair.split('#');
  const field = dialog.getByLabel('Paste the code it shows you:');

  await field.fill(`${code}#not-the-state`);
  await dialog.getByRole('button', { name: 'Submit code' }).click();
  await expect(dialog.getByRole('alert')).toBeVisible();
  await expect(field).toHaveValue(`${code}#not-the-state`);
  await expect(card.getByTestId('provider-state')).toHaveText('Connecting…');

  // Wrapped over lines with spaces, the way a copy from a narrow page often arrives.
  await field.fill(`  ${pair.slice(0, 12)}\n${pair.slice(12)}  `);
  await dialog.getByRole('button', { name: 'Submit code' }).click();
  await expect(dialog).toBeHidden();
  await expect(card.getByTestId('provider-headline')).toHaveText('Connected as frank@example.test');
  await expect(card.getByTestId('account-row')).toContainText('via pasted code');
});

test('"Other ways to sign in" works from the keyboard: arrows move, Enter picks, Esc closes', async ({ page, host }) => {
  const card = await openProviders(page, host);
  const menuButton = card.getByRole('button', { name: 'Other ways to sign in' });
  await menuButton.focus();
  await page.keyboard.press('ArrowDown');
  const menu = page.getByRole('menu', { name: 'Other ways to sign in' });
  await expect(menu.getByRole('menuitem', { name: /Use a device code/ })).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(menu.getByRole('menuitem', { name: /Use an API key instead/ })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(menuButton).toBeFocused();

  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Add a Test OIDC API key' });
  await expect(dialog.getByLabel('API key')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('an OpenAI key is checked with its model list: a refused key is not saved, an accepted one reads Connected', async ({ page, host, keyApi }) => {
  await openProviders(page, host);
  const card = page.getByTestId('provider-openai');
  await chooseOtherWay(card, /Use an API key instead/);
  const dialog = page.getByRole('dialog', { name: /^Add an? .* API key$/ });
  await dialog.getByLabel('API key').fill('sk-refused-0123456789');
  await dialog.getByRole('button', { name: 'Save key' }).click();
  await expect(dialog.getByRole('alert')).toContainText(`refused this API key (HTTP 401 from ${keyApi.host})`);
  await expect(card.getByTestId('provider-state')).toHaveText('Not connected');

  await dialog.getByLabel('API key').fill('sk-good-0123456789');
  await dialog.getByLabel(/Account label/).fill('Work');
  await dialog.getByRole('button', { name: 'Save key' }).click();
  await expect(dialog).toBeHidden();
  await expect(card.getByTestId('provider-state')).toHaveText('Connected');
  await expect(card.getByTestId('provider-headline')).toHaveText('Connected as Work');
  await expect(card.getByTestId('account-row')).toContainText(`via API key, accepted by ${keyApi.host}`);
  expect(keyApi.seen).toEqual([
    { provider: 'openai', key: 'sk-refused-0123456789' },
    { provider: 'openai', key: 'sk-good-0123456789' },
  ]);
});
