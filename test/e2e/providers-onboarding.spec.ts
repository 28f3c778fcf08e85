import { expect, gotoHash, test } from './provider-ui.js';

test('first run: welcome → skip → ready → agents, and the welcome does not come back', async ({ page, host }) => {
  await page.goto(host.url);
  await expect(page).toHaveURL(/#\/welcome$/);
  const onboarding = page.getByTestId('onboarding');
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome to Agent Relay' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Setup steps' }).locator('[aria-current="step"]')).toHaveText(/Welcome/);

  await page.getByRole('button', { name: 'Connect providers' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Connect your providers' })).toBeFocused();
  await expect(onboarding.getByTestId('provider-test-oidc')).toBeVisible();
  await expect(onboarding.getByTestId('provider-anthropic')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Continue' })).toBeDisabled();

  await page.getByRole('button', { name: 'Skip for now' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Ready when you are' })).toBeVisible();
  await page.getByRole('link', { name: 'Start your first agent' }).click();
  await expect(page).toHaveURL(/#\/agents$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Agents' })).toBeVisible();

  // Skipped is remembered for this data dir: opening the app again lands on Home.
  await page.goto(host.url);
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome to Agent Relay' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Set up providers' })).toBeVisible();
  await expect(page).not.toHaveURL(/#\/welcome$/);

  // Reopened from Home.
  await page.getByRole('link', { name: 'Set up providers' }).click();
  await expect(page).toHaveURL(/#\/welcome$/);
  await expect(onboarding).toHaveAttribute('data-step', 'welcome');
});

test('onboarding connects a provider on its cards, then Continue shows who is connected', async ({ page, host, oidc }) => {
  await page.goto(host.url);
  await expect(page).toHaveURL(/#\/welcome$/);
  await page.getByRole('button', { name: 'Connect providers' }).click();
  const card = page.getByTestId('provider-test-oidc');
  await card.getByRole('button', { name: 'Other ways to sign in' }).click();
  await page.getByRole('menuitem', { name: /Use a device code/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Sign in to Test OIDC' });
  const userCode = (await dialog.getByTestId('device-code').textContent())!.trim();
  const uri = (await dialog.getByTestId('verification-uri').textContent())!.trim();
  await oidc.user.approveDevice(uri, userCode, { login: 'dana' });
  await expect(card.getByTestId('provider-headline')).toHaveText('Connected as dana@example.test');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'You’re all set' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Connected providers' })).toContainText('Test OIDC as dana@example.test');
  await gotoHash(page, '#/');
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome to Agent Relay' })).toBeVisible();
});
