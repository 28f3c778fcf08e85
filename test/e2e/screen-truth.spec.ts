import { DOM_RENDERER_LAUNCH, exitFromConsole, expectTerminalToShow, fillNewAgentDialog, fixture, gotoHash, nodeCommandLine, openNewAgentDialog, terminalText } from './agent-ui.js';
import { expect, openDashboard, test } from './fixtures.js';
import { spawnWithCli } from './layout-checks.js';

test.use({ launchOptions: DOM_RENDERER_LAUNCH });

const echo = [process.execPath, fixture('agents/prompt-echo.mjs')];

test('the composer sends only to the recipient it shows; one removed elsewhere is cleared with a notice', async ({ page, context, host }) => {
  await spawnWithCli(host, 'Alice', echo);
  await spawnWithCli(host, 'Dave', echo);
  await openDashboard(page, host);
  await gotoHash(page, '#/messages');
  const composer = page.getByRole('form', { name: 'Send a message' });
  const to = composer.getByRole('combobox');
  await to.selectOption('Dave');
  await composer.getByRole('textbox', { name: 'Message' }).fill('meant for the one picked');

  // Dave is removed from another tab.
  const other = await context.newPage();
  await other.goto(`${host.origin}/#/agents`);
  await other.getByRole('button', { name: 'Remove Dave' }).click();
  await other.getByRole('dialog', { name: 'Remove Dave?' }).getByRole('button', { name: 'Remove' }).click();
  await expect(other.getByTestId('agent-row')).toHaveCount(1);

  // The picker no longer offers Dave, says why, and Send cannot go anywhere until a recipient is chosen.
  await expect(composer.getByTestId('composer-notice')).toHaveText('Dave is no longer an agent here. Choose who gets this message.');
  await expect(to).toHaveValue('');
  await expect(to.locator('option', { hasText: 'Dave' })).toHaveCount(0);
  await expect(composer.getByRole('button', { name: 'Send' })).toBeDisabled();
  await composer.getByRole('textbox', { name: 'Message' }).press('Control+Enter');
  await expect(page.locator('.message-list > li')).toHaveCount(0);
  await expect(composer.getByRole('textbox', { name: 'Message' })).toHaveValue('meant for the one picked');

  // What is picked is where it goes.
  await to.selectOption('Alice');
  await expect(composer.getByTestId('composer-notice')).toBeHidden();
  await composer.getByRole('button', { name: 'Send' }).click();
  const sent = page.locator('.message-list > li');
  await expect(sent).toHaveCount(1);
  await expect(sent).toContainText('Alice');
  await expect(sent).not.toContainText('Dave');
  await expect(page.getByRole('group', { name: 'Filter messages' })).toContainText('1 message');
  await expect(page.getByRole('group', { name: 'Filter messages' })).not.toContainText('1 messages');
});

test('Ctrl+4 in a console opens Messages and the program receives nothing', async ({ page, host }) => {
  await spawnWithCli(host, 'Tui', [process.execPath, fixture('agents/tui.mjs')]);
  await openDashboard(page, host);
  await gotoHash(page, '#/agents/Tui/console');
  await expectTerminalToShow(page, 'count 0');
  await page.getByTestId('terminal').click();
  await expect(page.locator('.xterm-helper-textarea')).toBeFocused();

  await page.keyboard.press('Control+4');
  await expect(page).toHaveURL(/#\/messages$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Messages' })).toBeVisible();

  // The fixture counts every byte it reads: one key now makes it 1, so Ctrl+4 sent nothing (it would be ^\).
  await gotoHash(page, '#/agents/Tui/console');
  await expectTerminalToShow(page, 'count 0');
  await page.getByTestId('terminal').click();
  await page.keyboard.press('a');
  await expectTerminalToShow(page, 'count 1');
  expect(await terminalText(page)).not.toContain('count 2');
  // A key the app does not take still reaches the program.
  await page.keyboard.press('Control+a');
  await expectTerminalToShow(page, 'count 2');
});

test('dialogs open on their first field and give focus back to what opened them', async ({ page, host }) => {
  await spawnWithCli(host, 'First', echo);
  await spawnWithCli(host, 'Second', echo);
  await openDashboard(page, host);
  await gotoHash(page, '#/agents');
  await expect(page.getByTestId('agent-row')).toHaveCount(2);

  // New agent: opens on Name, Esc gives focus back to its button.
  const newAgent = page.getByRole('button', { name: 'New agent' });
  await newAgent.click();
  const dialog = page.getByRole('dialog', { name: 'New agent' });
  await expect(dialog.getByLabel('Name')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(newAgent).toBeFocused();

  // ... and after starting an agent too.
  await newAgent.click();
  await fillNewAgentDialog(dialog, { name: 'Third', commandLine: nodeCommandLine('agents/prompt-echo.mjs') });
  await dialog.getByRole('button', { name: 'Start agent' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('agent-row')).toHaveCount(3);
  await expect(newAgent).toBeFocused();

  // Start a team: opens on its first field (not ×), Esc gives focus back.
  const team = page.getByRole('button', { name: 'Start a team' });
  await team.click();
  const teamDialog = page.getByRole('dialog', { name: /team/i });
  await expect(teamDialog.getByRole('button', { name: 'Close' })).not.toBeFocused();
  await expect(teamDialog.locator('input').first()).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(teamDialog).toBeHidden();
  await expect(team).toBeFocused();

  // Remove, cancelled: back on the row's Remove button.
  await page.getByRole('button', { name: 'Remove First' }).click();
  await expect(page.getByRole('dialog', { name: 'Remove First?' }).getByRole('button', { name: 'Remove' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: 'Remove First' })).toBeFocused();

  // Remove, confirmed: the row is gone, focus moves to the next row's Remove button.
  await page.keyboard.press('Enter');
  await page.getByRole('dialog', { name: 'Remove First?' }).getByRole('button', { name: 'Remove' }).press('Enter');
  await expect(page.getByTestId('agent-row')).toHaveCount(2);
  await expect(page.getByRole('button', { name: 'Remove Second' })).toBeFocused();

  // Restart from the row keeps focus on the row's Restart button.
  await page.getByRole('button', { name: 'Restart Second' }).click();
  await expect(page.getByTestId('agent-row').filter({ hasText: 'Second' })).toContainText('restarted 1×');
  await expect(page.getByRole('button', { name: 'Restart Second' })).toBeFocused();

  // Restart from a console's exit banner: focus goes to the terminal, to type into the new run.
  await exitFromConsole(page, 'Second');
  const banner = page.getByTestId('exit-banner');
  await banner.getByRole('button', { name: 'Restart' }).click();
  await expect(banner).toBeHidden();
  await expect(page.locator('.xterm-helper-textarea')).toBeFocused();
});

test('the "Command was not found" error goes when the command is fixed', async ({ page, host }) => {
  await openDashboard(page, host);
  const dialog = await openNewAgentDialog(page);
  await fillNewAgentDialog(dialog, { name: 'Fixer', commandLine: 'no-such-agent-cli' });
  await dialog.getByRole('button', { name: 'Start agent' }).click();
  await expect(dialog.getByTestId('spawn-error')).toHaveAttribute('data-code', 'command_not_found');

  await dialog.getByLabel('Command').fill(nodeCommandLine('agents/prompt-echo.mjs'));
  await expect(dialog.getByTestId('spawn-error')).toHaveCount(0);
  // Typing the bad command back shows what the daemon said about it, still true.
  await dialog.getByLabel('Command').fill('no-such-agent-cli');
  await expect(dialog.getByTestId('spawn-error')).toBeVisible();
});

test('no "Open console" in an alert about the console on screen', async ({ page, host }) => {
  await spawnWithCli(host, 'Quitter', [...echo]);
  await openDashboard(page, host);
  await exitFromConsole(page, 'Quitter');
  const toast = page.getByTestId('toast');
  await expect(toast).toContainText('Quitter exited');
  await expect(toast.getByRole('link', { name: 'Open console' })).toHaveCount(0);
  // Elsewhere the same alert offers it.
  await gotoHash(page, '#/agents');
  await expect(toast.getByRole('link', { name: 'Open console' })).toBeVisible();
});

test('the light terminal has no dark strip under its rows', async ({ page, host }) => {
  await spawnWithCli(host, 'Pale', echo);
  await page.emulateMedia({ colorScheme: 'light' });
  await openDashboard(page, host);
  await gotoHash(page, '#/agents/Pale/console');
  await expectTerminalToShow(page, 'agent Pale ready');
  const colours = await page.evaluate(() => {
    const box = document.querySelector('[data-testid="terminal"]')!;
    const bg = (selector: string) => getComputedStyle(box.querySelector(selector)!).backgroundColor;
    return { frame: getComputedStyle(box.parentElement!).backgroundColor, xterm: bg('.xterm'), viewport: bg('.xterm-viewport') };
  });
  expect(colours.viewport).toBe(colours.frame);
  expect(colours.xterm).toBe(colours.frame);
  expect(colours.frame).toBe('rgb(251, 251, 252)');
});

test('Settings: a range error in words, a missing font falls back to monospace, the preview in the console theme', async ({ page, host }) => {
  await spawnWithCli(host, 'Mono', echo);
  await page.emulateMedia({ colorScheme: 'dark' });
  await openDashboard(page, host);
  await gotoHash(page, '#/settings');
  const fontSize = page.getByLabel('Font size');
  await expect(fontSize).toHaveValue('13');
  await fontSize.fill('99');
  await fontSize.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: /32/ })).toHaveText('Font size must be between 8 and 32.');
  await fontSize.fill('14');
  await fontSize.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: /32/ })).toHaveCount(0);

  // The preview wears the console's colours: dark now, light once the theme is light.
  const preview = page.getByRole('img', { name: 'Preview of the console font' });
  const previewBackground = () => preview.evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(await previewBackground()).toBe('rgb(13, 14, 18)');
  await page.getByRole('radio', { name: 'Light' }).click();
  await expect.poll(previewBackground).toBe('rgb(251, 251, 252)');

  const family = page.getByLabel('Font family');
  await family.fill('No Such Font Anywhere');
  await family.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();

  // Narrow and wide letters take the same width in the preview and in the console: still a monospace font.
  const widths = (selector: string) =>
    page.evaluate((sel) => {
      const el = document.querySelector<HTMLElement>(sel)!;
      const style = getComputedStyle(el);
      const context = document.createElement('canvas').getContext('2d')!;
      context.font = `${style.fontSize} ${style.fontFamily}`;
      return { narrow: context.measureText('iiiiiiiiii').width, wide: context.measureText('MMMMMMMMMM').width, family: style.fontFamily };
    }, selector);
  // The saved value reaches the page by the settings.changed event: wait for it.
  await expect.poll(async () => (await widths('.terminal-preview')).family).toMatch(/^"?No Such Font Anywhere"?, /);
  const inPreview = await widths('.terminal-preview');
  expect(inPreview.narrow).toBeCloseTo(inPreview.wide, 0);

  await gotoHash(page, '#/agents/Mono/console');
  await expectTerminalToShow(page, 'agent Mono ready');
  await expect.poll(async () => (await widths('[data-testid="terminal"] .xterm-rows')).family).toMatch(/No Such Font Anywhere/);
  const inConsole = await widths('[data-testid="terminal"] .xterm-rows');
  expect(inConsole.narrow).toBeCloseTo(inConsole.wide, 0);
});
