import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { freshDataDir, startHost, type RunningHost } from '../support/headless-host.js';
import { expect, openDashboard, saveScreenshot, test } from './fixtures.js';

const hosts: RunningHost[] = [];
const start = async (...args: Parameters<typeof startHost>) => {
  const host = await startHost(...args);
  hosts.push(host);
  return host;
};

test.afterEach(async () => {
  const dirs = new Set(hosts.map((host) => host.dataDir));
  for (const host of hosts.splice(0)) await host.stop();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

test('the app shows "Reconnecting" while the daemon is down and reloads its data when it is back', async ({ page }) => {
  const token = crypto.randomBytes(16).toString('hex');
  const dataDir = freshDataDir();
  const first = await start({ dataDir, token });
  await openDashboard(page, first);
  await page.keyboard.press('ControlOrMeta+5');
  await expect(page.getByLabel('Font size')).toHaveValue('13');

  await first.stop();
  const banner = page.getByTestId('connection-banner');
  await expect(banner).toHaveText('Reconnecting to Agent Relay…');
  await expect(page.getByRole('contentinfo')).toContainText('Reconnecting…');
  await saveScreenshot(page, 'reconnecting-banner-light');

  // Change the stored settings while it is down: seeing them proves the data was loaded again.
  fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ terminalFontSize: 18 }));
  const second = await start({ dataDir, token, port: first.port });
  await expect(banner).toHaveCount(0, { timeout: 15_000 });
  await expect(page.getByLabel('Font size')).toHaveValue('18');
  await expect(page.getByRole('contentinfo')).toContainText('Connected');
  await expect(page.getByTestId('app-host')).toHaveText('headless');
  expect(second.port).toBe(first.port);
});

test('a daemon restarted with another token tells the page its link expired', async ({ page }) => {
  const dataDir = freshDataDir();
  const first = await start({ dataDir, token: crypto.randomBytes(16).toString('hex') });
  await openDashboard(page, first);
  await first.stop();
  await start({ dataDir, token: crypto.randomBytes(16).toString('hex'), port: first.port });
  await expect(page.getByRole('alert')).toContainText(
    "This dashboard's link expired: open the new link printed by agent-relay-desktop up",
    { timeout: 15_000 },
  );
  await expect(page.getByRole('contentinfo')).toContainText('Link expired');
  await saveScreenshot(page, 'link-expired-banner-light');
});
