import { expect, openDashboard, saveScreenshot, test } from './fixtures.js';
import { DOM_RENDERER_LAUNCH, expectTerminalToShow, gotoHash, nodeCommandLine, spawnFromDialog } from './agent-ui.js';

test.use({ launchOptions: DOM_RENDERER_LAUNCH });

const LONG_BODY = [
  'Review plan for the router change:',
  '1. Read src/router.ts and the tests under test/router/.',
  '2. Check that every route still has a handler after the rename.',
  '3. Run npm test and send me the failures, if any.',
  '4. Look for missing await on the async handlers.',
  '5. Summarise the risky parts in three bullet points.',
  '6. Then hand the summary to Alice for the security pass.',
  '7. Keep the branch name as it is.',
].join('\n');

for (const theme of ['light', 'dark'] as const) {
  test(`agents, console, spawn dialog and messages in the ${theme} theme (screenshots)`, async ({ page, host }) => {
    test.setTimeout(60_000);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.emulateMedia({ colorScheme: theme });
    await openDashboard(page, host);

    await spawnFromDialog(page, { name: 'Bob', commandLine: nodeCommandLine('relay/bob.mjs') });
    await spawnFromDialog(page, { name: 'Alice', commandLine: nodeCommandLine('relay/alice.mjs') });
    await spawnFromDialog(page, { name: 'Reviewer', commandLine: nodeCommandLine('agents/permission-prompt.mjs') });
    const builder = await spawnFromDialog(page, { name: 'Builder', commandLine: nodeCommandLine('agents/prompt-echo.mjs'), env: 'FIXTURE_EXIT_CODE=1' });
    await gotoHash(page, '#/agents/Builder/console');
    await expectTerminalToShow(page, 'agent Builder ready');
    await page.getByTestId('terminal').click();
    await page.keyboard.type('exit');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('exit-banner')).toBeVisible();

    await gotoHash(page, '#/agents');
    await expect(builder.getByTestId('agent-status')).toContainText('Exited (code 1)');
    const reviewer = page.getByTestId('agent-row').filter({ hasText: 'Reviewer' });
    await expect(reviewer.getByTestId('agent-status')).toContainText('Waiting for input');
    // Let the alerts go so the page is seen as it is.
    const toasts = page.getByTestId('toast');
    while ((await toasts.count()) > 0) await toasts.first().getByRole('button', { name: 'Dismiss' }).click({ timeout: 2_000 }).catch(() => undefined);
    await saveScreenshot(page, `agents-list-${theme}`);

    await page.getByRole('button', { name: 'New agent' }).click();
    const dialog = page.getByRole('dialog', { name: 'New agent' });
    await dialog.getByLabel('Name').fill('Security-Auditor');
    await dialog.getByLabel('Command').fill('claude --model sonnet --append-system-prompt "You audit code for security"');
    await dialog.getByLabel(/Working folder/).fill(process.cwd());
    await dialog.getByLabel(/First task/).fill('Audit the payment module and send findings to Alice.');
    await expect(dialog.getByTestId('parsed-command')).toBeVisible();
    await page.screenshot({ path: `test-results/screenshots/spawn-dialog-${theme}.png`, animations: 'disabled' });
    await dialog.getByRole('button', { name: 'Start agent' }).click();
    await expect(dialog.getByTestId('spawn-error')).toBeVisible();
    await page.screenshot({ path: `test-results/screenshots/spawn-dialog-error-${theme}.png`, animations: 'disabled' });
    await page.keyboard.press('Escape');

    await gotoHash(page, '#/messages');
    const composer = page.getByRole('form', { name: 'Send a message' });
    await composer.getByLabel('To').selectOption('Bob');
    await composer.getByLabel('Message').fill(LONG_BODY);
    await composer.getByRole('button', { name: 'Send' }).click();
    await composer.getByLabel('To').selectOption('*');
    await composer.getByLabel('Message').fill('Standup in five minutes: post your status.');
    await composer.getByRole('button', { name: 'Send' }).click();
    await expect(page.getByTestId('message')).toHaveCount(3);
    await expect(page.getByTestId('message').first().getByTestId('delivery-status')).toBeVisible();
    await composer.getByLabel('Message').fill('Bob, can you take the flaky test?');
    await page.mouse.move(0, 0);
    await saveScreenshot(page, `messages-${theme}`);

    await gotoHash(page, '#/agents/Bob/console');
    await expectTerminalToShow(page, 'Standup in five minutes');
    await page.getByTestId('terminal').click();
    await saveScreenshot(page, `console-${theme}`);
    await page.keyboard.press('ControlOrMeta+f');
    await page.getByRole('search', { name: 'Find in console' }).getByRole('textbox').fill('Relay message');
    await saveScreenshot(page, `console-search-${theme}`);
  });
}
