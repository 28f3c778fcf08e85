import { DOM_RENDERER_LAUNCH, fixture, gotoHash } from './agent-ui.js';
import { expect, openDashboard, saveScreenshot, test } from './fixtures.js';
import { expectCleanLayout, expectNoSeriousAxeFindings, spawnWithCli } from './layout-checks.js';

test.use({ launchOptions: DOM_RENDERER_LAUNCH });

/** The longest name an agent may have. */
const LONG_NAME = 'a-very-long-agent-name-32-chars_';
const SIZES = [
  { width: 800, height: 600 },
  { width: 1280, height: 800 },
] as const;

const PAGES = [
  { name: 'home', hash: '#/', heading: /Welcome to Agent Relay|Home/ },
  { name: 'providers', hash: '#/providers', heading: 'Providers' },
  { name: 'agents', hash: '#/agents', heading: 'Agents' },
  { name: 'messages', hash: '#/messages', heading: 'Messages' },
  { name: 'settings', hash: '#/settings', heading: 'Settings' },
  { name: 'console', hash: `#/agents/${LONG_NAME}/console`, heading: LONG_NAME },
  { name: 'console-exited', hash: '#/agents/Crashed/console', heading: 'Crashed' },
] as const;

for (const size of SIZES) {
  for (const theme of ['light', 'dark'] as const) {
    test(`every page at ${size.width}×${size.height} (${theme}) with a 32-character name: no overlap, no sideways scroll, axe clean`, async ({ page, host }) => {
      // Seven pages and two dialogs, each measured and run through axe: slow on a loaded machine.
      test.setTimeout(300_000);
      expect(LONG_NAME).toHaveLength(32);
      await spawnWithCli(host, LONG_NAME, [process.execPath, fixture('agents/prompt-echo.mjs')]);
      await spawnWithCli(host, 'Bob', [process.execPath, fixture('agents/prompt-echo.mjs')]);
      // Waits for a permission answer: the sidebar lists it under "Needs you".
      await spawnWithCli(host, 'Asker', [process.execPath, fixture('agents/permission-prompt.mjs')]);
      // Ends itself with SIGKILL: the longest status pill there is, "Exited (signal SIGKILL)".
      await spawnWithCli(host, 'Crashed', [process.execPath, '-e', "process.kill(process.pid, 'SIGKILL')"]);

      await page.setViewportSize(size);
      await page.emulateMedia({ colorScheme: theme });
      await openDashboard(page, host);
      await gotoHash(page, '#/agents');
      await expect(page.getByTestId('agent-row').filter({ hasText: 'Crashed' }).getByTestId('agent-status')).toContainText('Exited (signal SIGKILL)');
      await expect(page.getByTestId('agent-row').filter({ hasText: LONG_NAME }).getByTestId('agent-status')).toContainText(/Idle|Working/);
      await expect(page.getByTestId('attention-list')).toContainText('Asker');

      // A message, so the Messages page shows its list, filters and composer.
      await gotoHash(page, '#/messages');
      await page.getByRole('textbox', { name: 'Message' }).fill('Please review the router change.');
      await page.getByRole('button', { name: 'Send' }).click();
      await expect(page.locator('.message-list > li')).toHaveCount(1);

      for (const { name, hash, heading } of PAGES) {
        await gotoHash(page, hash);
        await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
        if (name === 'settings') await expect(page.getByLabel('Font size')).toHaveValue('13');
        if (name.startsWith('console')) await expect(page.getByTestId('terminal').locator('.xterm-rows')).toBeVisible();
        const where = `${name} at ${size.width}×${size.height} (${theme})`;
        await expectCleanLayout(page, where);
        await expectNoSeriousAxeFindings(page, where);
        await saveScreenshot(page, `${name}-${size.width}x${size.height}-${theme}`);
      }

      // The agent dialogs fit the window too.
      for (const [button, title, file] of [
        ['New agent', 'New agent', 'dialog-new-agent'],
        ['Start a team', /team/i, 'dialog-start-team'],
      ] as const) {
        await gotoHash(page, '#/agents');
        await page.getByRole('button', { name: button }).click();
        const dialog = page.getByRole('dialog', { name: title });
        await expect(dialog).toBeVisible();
        const where = `${file} at ${size.width}×${size.height} (${theme})`;
        await expectCleanLayout(page, where, 'dialog[open]');
        await expectNoSeriousAxeFindings(page, where);
        await page.screenshot({ path: `test-results/screenshots/${file}-${size.width}x${size.height}-${theme}.png` });
        await page.keyboard.press('Escape');
        await expect(dialog).toBeHidden();
      }

      // Long text is cut with an ellipsis and shown whole as a tooltip.
      await gotoHash(page, '#/agents');
      const longRow = page.getByTestId('agent-row').filter({ hasText: LONG_NAME });
      await expect(longRow.getByRole('link', { name: LONG_NAME, exact: true })).toHaveAttribute('title', LONG_NAME);
      const crashedPill = page.getByTestId('agent-row').filter({ hasText: 'Crashed' }).getByTestId('agent-status');
      await expect(crashedPill).toHaveAttribute('title', /^Exited \(signal SIGKILL\)/);
    });
  }
}
