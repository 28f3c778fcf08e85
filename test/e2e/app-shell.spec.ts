import { APP_VERSION, expect, openDashboard, test } from './fixtures.js';

test('the printed link opens the app shell through the token exchange', async ({ page, host }) => {
  const first = await page.goto(host.url);
  // The link's first answer is the sign-in page (200: no error in the console), which trades the #token for a cookie.
  expect(first?.status()).toBe(200);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome to Agent Relay' })).toBeVisible();
  await expect(page.getByRole('complementary')).toContainText('Agent Relay');
  await expect(page.getByRole('main')).toBeVisible();
  await expect(page.getByRole('contentinfo')).toBeVisible();
  // The token never stays in the address bar.
  expect(page.url()).not.toContain(host.token);
});

test('the footer shows the version and host from app.info', async ({ page, host }) => {
  await openDashboard(page, host);
  const footer = page.getByRole('contentinfo');
  await expect(footer.getByTestId('app-host')).toHaveText('headless');
  await expect(footer.getByTestId('app-version')).toHaveText(APP_VERSION);
  await expect(footer).toContainText('Connected');
});

test('the sidebar navigates by click and marks the current page', async ({ page, host }) => {
  await openDashboard(page, host);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: /Home/ })).toHaveAttribute('aria-current', 'page');

  const pages = [
    { link: /Providers/, hash: '#/providers', heading: 'Providers', empty: 'Sign-in providers' },
    { link: /Agents/, hash: '#/agents', heading: 'Agents', empty: 'No agents running' },
    { link: /Messages/, hash: '#/messages', heading: 'Messages', empty: 'No messages yet' },
    { link: /Settings/, hash: '#/settings', heading: 'Settings', empty: undefined },
  ];
  for (const target of pages) {
    await nav.getByRole('link', { name: target.link }).click();
    await expect(page).toHaveURL(new RegExp(`${target.hash}$`));
    await expect(page.getByRole('heading', { level: 1, name: target.heading })).toBeVisible();
    await expect(nav.getByRole('link', { name: target.link })).toHaveAttribute('aria-current', 'page');
    await expect(nav.locator('[aria-current="page"]')).toHaveCount(1);
    if (target.empty) await expect(page.getByRole('heading', { level: 2, name: target.empty })).toBeVisible();
  }

  // Back goes to the previous page; the hash is the route.
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: 'Messages' })).toBeVisible();
});

test('Home sends the user to Providers with its call to action', async ({ page, host }) => {
  await openDashboard(page, host);
  // A fresh data dir opens on the first-run welcome; Home is one step away.
  await expect(page).toHaveURL(/#\/welcome$/);
  await page.evaluate(() => {
    location.hash = '#/';
  });
  await page.getByRole('link', { name: 'Connect your first provider' }).click();
  await expect(page).toHaveURL(/#\/providers$/);
  await expect(page.getByRole('heading', { level: 2, name: 'Sign-in providers' })).toBeVisible();
});

test('Ctrl/Cmd+1..5 switch pages, and the sidebar shows the shortcuts', async ({ page, host }) => {
  await openDashboard(page, host);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: /Agents/ })).toContainText(/(Ctrl\+|⌘)3/);

  const order = ['Home', 'Providers', 'Agents', 'Messages', 'Settings'];
  for (const digit of [5, 2, 4, 3, 1]) {
    await page.keyboard.press(`ControlOrMeta+${digit}`);
    const name = order[digit - 1]!;
    await expect(nav.getByRole('link', { name: new RegExp(name) })).toHaveAttribute('aria-current', 'page');
  }
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome to Agent Relay' })).toBeVisible();
});

test('an unknown address shows a not-found page with a way home', async ({ page, host }) => {
  await openDashboard(page, host);
  await page.evaluate(() => {
    location.hash = '#/nowhere';
  });
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to Home' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome to Agent Relay' })).toBeVisible();
});
