import { chooseOtherWay, expect, gotoHash, openProviders, test } from './provider-ui.js';

test('an old sign-in error goes once the provider is connected another way, and Home says what is connected', async ({ page, host, oidc }) => {
  const card = await openProviders(page, host);
  await gotoHash(page, '#/');
  await expect(page.getByRole('link', { name: 'Connect your first provider' })).toBeVisible();
  await gotoHash(page, '#/providers');

  // A denied browser sign-in leaves its error on the card.
  await card.getByRole('button', { name: 'Sign in with browser' }).click();
  const signIn = page.getByRole('dialog', { name: 'Sign in to Test OIDC' });
  const url = (await signIn.getByRole('link', { name: 'Open Test OIDC sign-in' }).getAttribute('href'))!;
  await oidc.user.authorize(url, { decision: 'deny' });
  await expect(signIn.getByText('Sign-in was denied', { exact: true })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(card.getByTestId('provider-note')).toContainText('Sign-in was denied');

  // Connected with an API key instead: the red error is gone, not shown beside "Connected".
  await chooseOtherWay(card, /Use an API key instead/);
  const dialog = page.getByRole('dialog', { name: 'Add a Test OIDC API key' });
  await dialog.getByLabel('API key').fill('sk-test-0123456789abcdef');
  await dialog.getByRole('button', { name: 'Save key' }).click();
  await expect(dialog).toBeHidden();
  await expect(card.getByTestId('provider-state')).not.toHaveText('Error');
  await expect(card.getByTestId('provider-note')).toHaveCount(0);

  // Home no longer asks for a first provider, and says the key is saved but unchecked (Test OIDC has no key check).
  await gotoHash(page, '#/');
  await expect(page.getByTestId('home-connected')).toHaveText('Key saved, not checked: Test OIDC.');
  await expect(page.getByRole('link', { name: 'Connect your first provider' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Start an agent' })).toHaveAttribute('href', '#/agents');
});
