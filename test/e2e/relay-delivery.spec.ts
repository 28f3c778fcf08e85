import { expect, openDashboard, saveScreenshot, test } from './fixtures.js';
import { DOM_RENDERER_LAUNCH, gotoHash, spawnFromDialog } from './agent-ui.js';
import { expectNoSeriousAxeFindings } from './layout-checks.js';

test.use({ launchOptions: DOM_RENDERER_LAUNCH });
// Four axe runs and screenshots besides the agent: allow for a loaded machine.
test.describe.configure({ timeout: 120_000 });

test('a message to a shell prompt shows as failed with the reason; the agent row tells and turns "accept relay messages" on after asking', async ({ page, host }) => {
  await openDashboard(page, host);
  await spawnFromDialog(page, { name: 'Shell', commandLine: 'bash --norc --noprofile' });

  await gotoHash(page, '#/agents');
  const row = page.getByTestId('agent-row').filter({ hasText: 'Shell' });
  await expect(row.getByTestId('relay-note')).toHaveText('shell · relay held back', { timeout: 15_000 });
  const toggle = row.getByRole('button', { name: 'Accept relay messages in Shell even at a shell prompt' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');

  await gotoHash(page, '#/messages');
  const composer = page.getByRole('form', { name: 'Send a message' });
  await composer.getByLabel('To').selectOption('Shell');
  await composer.getByLabel('Message').fill('echo hi; rm -rf nothing');
  await composer.getByLabel('Message').press('ControlOrMeta+Enter');
  const refused = page.getByTestId('message').filter({ hasText: 'echo hi; rm -rf nothing' });
  await expect(refused.getByTestId('delivery-status').first()).toHaveText(/Failed/);
  await expect(refused.getByTestId('message-problem')).toHaveText(/^Shell is a shell prompt; relay messages go to agents/);
  for (const theme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await expectNoSeriousAxeFindings(page, `messages (${theme})`);
    await saveScreenshot(page, `relay-shell-refused-${theme}`);
  }

  await gotoHash(page, '#/agents');
  await toggle.click();
  const dialog = page.getByRole('dialog', { name: 'Let relay messages into Shell at a shell prompt?' });
  await expect(dialog).toContainText('each one runs as a command');
  await dialog.getByRole('button', { name: 'Accept relay messages' }).click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect(row.getByTestId('relay-note')).toHaveText('relay into shell allowed');
  for (const theme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await expectNoSeriousAxeFindings(page, `agents (${theme})`);
    await saveScreenshot(page, `relay-accept-row-${theme}`);
  }
  // Turning it off needs no confirmation.
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
});
