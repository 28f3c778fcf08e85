import { connectClient } from '../../main/core/transport/client.js';
import { DOM_RENDERER_LAUNCH, fixture, terminalText } from './agent-ui.js';
import { expect, openDashboard, saveScreenshot, test } from './fixtures.js';
import { AxeBuilder } from '@axe-core/playwright';

test.use({ launchOptions: DOM_RENDERER_LAUNCH });

const NAMES = ['Ada', 'Bea', 'Cat', 'Dan', 'Eve'];
const NEEDLE = 'panic: lease expired for shard 7';

for (const theme of ['light', 'dark'] as const) {
  test(`Ctrl/Cmd+Shift+F finds a line 9,000 lines back in the third of five agents and opens its console there (${theme})`, async ({ page, host }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: theme });
    const client = await connectClient(host.origin, host.token);
    try {
      for (const name of NAMES) {
        // 10,000 lines each; Cat's needle is 9,000 lines above its last line.
        const args = name === 'Cat' ? ['10000', '1000', NEEDLE] : ['10000'];
        await client.call('agents.spawn', { name, command: process.execPath, args: [fixture('terminal-host/lines.mjs'), ...args], cwd: host.dataDir });
      }
      for (const name of NAMES) await expect.poll(async () => (await client.call('terminal.screen', name)).join('\n'), { timeout: 60_000 }).toContain(`${name} done`);
    } finally {
      client.close();
    }

    await openDashboard(page, host);
    await page.keyboard.press('ControlOrMeta+Shift+F');
    const dialog = page.getByRole('dialog', { name: 'Search all agents' });
    await expect(dialog).toBeVisible();
    await dialog.getByLabel('Text to find').fill('LEASE EXPIRED');
    await expect(dialog.getByTestId('search-summary')).toHaveText(/^1 hit in 1 agent · [\d,]+ lines searched in [\d.]+ ms$/);
    const group = dialog.getByRole('region', { name: 'Cat: 1 hit' });
    await expect(group).toBeVisible();
    const hit = group.getByRole('button', { name: /panic: lease expired/ });
    await expect(hit).toContainText('Cat build step 999 ok');
    await expect(hit).toContainText('Cat build step 1001 ok');
    await expect(hit.locator('mark')).toHaveText('lease expired');
    const axe = await new AxeBuilder({ page }).include('[data-testid="search-dialog"]').analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    await saveScreenshot(page, `search-results-${theme}`);

    // A regular expression that does not compile says why.
    await dialog.getByLabel('Regular expression').check();
    await dialog.getByLabel('Text to find').fill('shard (');
    await expect(dialog.getByRole('alert')).toContainText('not a valid regular expression');
    await dialog.getByLabel('Text to find').fill('shard \\d+$');
    await expect(group.getByRole('button', { name: /panic: lease expired/ })).toBeVisible();

    await group.getByRole('button', { name: /panic: lease expired/ }).click();
    await expect(dialog).toBeHidden();
    await expect(page).toHaveURL(/#\/agents\/Cat\/console\?find=/);
    await expect(page.getByRole('heading', { level: 1, name: 'Cat' })).toBeVisible();
    // Scrolled 9,000 lines up: the hit is on screen, the end of the output is not.
    await expect.poll(() => terminalText(page), { timeout: 20_000 }).toContain(NEEDLE);
    expect(await terminalText(page)).not.toContain('Cat done');
    await saveScreenshot(page, `search-console-at-hit-${theme}`);
  });
}
