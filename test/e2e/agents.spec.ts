import type { Browser, Locator, Page } from '@playwright/test';
import { expect, openDashboard, saveScreenshot, test } from './fixtures.js';
import { expectNoSeriousAxeFindings } from './layout-checks.js';
import { DOM_RENDERER_LAUNCH, exitFromConsole, expectTerminalToShow, fillNewAgentDialog, fixture, gotoHash, nodeCommandLine, openNewAgentDialog, spawnFromDialog, terminalText } from './agent-ui.js';

test.use({ launchOptions: DOM_RENDERER_LAUNCH });

test('an agent spawned from the dialog runs in a console that echoes what the user types', async ({ page, host }) => {
  await openDashboard(page, host);
  await gotoHash(page, '#/agents');
  await expect(page.getByRole('heading', { level: 2, name: 'No agents running' })).toBeVisible();

  const row = await spawnFromDialog(page, { name: 'Echo', commandLine: nodeCommandLine('agents/prompt-echo.mjs') });
  await expect(row.getByTestId('agent-status')).toContainText(/Idle|Working|Starting/);
  await expect(row.getByRole('cell').nth(1)).toContainText('prompt-echo.mjs');

  await row.getByRole('link', { name: 'Open console of Echo' }).click();
  await expect(page).toHaveURL(/#\/agents\/Echo\/console$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Echo' })).toBeVisible();
  await expectTerminalToShow(page, 'agent Echo ready');

  await page.getByTestId('terminal').click();
  await page.keyboard.type('hello from the browser');
  await page.keyboard.press('Enter');
  await expectTerminalToShow(page, 'echo: hello from the browser');
});

test('a console opened late shows the whole screen of a full-screen program', async ({ page, host }) => {
  await openDashboard(page, host);
  await spawnFromDialog(page, { name: 'Tui', commandLine: nodeCommandLine('agents/tui.mjs') });
  // The TUI draws before anyone looks: what the console shows comes from the daemon's mirror.
  await expect.poll(async () => (await page.getByTestId('agent-row').getByTestId('agent-status').textContent()) ?? '').not.toContain('Starting');
  await gotoHash(page, '#/agents/Tui/console');
  await expectTerminalToShow(page, 'TUI fixture');
  await expectTerminalToShow(page, 'count 0');
  await expectTerminalToShow(page, 'cursor parks here');
  // Keys reach it, and it redraws.
  await page.getByTestId('terminal').click();
  await page.keyboard.type('abc');
  await expectTerminalToShow(page, 'count 3');
  // Fitted to this window: the TUI redrew at the console's size, not the spawn default.
  await expect.poll(() => terminalText(page)).toMatch(/size \d+x\d+/);
});

test('a command that does not exist is refused inline in the dialog, and nothing typed is lost', async ({ page, host }) => {
  await openDashboard(page, host);
  const dialog = await openNewAgentDialog(page);
  await fillNewAgentDialog(dialog, { name: 'Ghost', commandLine: 'no-such-agent-cli --flag "two words"' });
  await expect(dialog.getByTestId('parsed-command')).toContainText('no-such-agent-cli');
  await expect(dialog.getByTestId('parsed-command').locator('code')).toHaveText(['no-such-agent-cli', '--flag', 'two words']);
  await dialog.getByLabel(/First task/).fill('Say hello');
  await dialog.getByRole('button', { name: 'Start agent' }).click();

  const error = dialog.getByTestId('spawn-error');
  await expect(error).toHaveAttribute('data-code', 'command_not_found');
  await expect(error).toContainText('no-such-agent-cli');
  await expect(error).toContainText('Looked in:');
  await expect(dialog.getByLabel('Name')).toHaveValue('Ghost');
  await expect(dialog.getByLabel('Command')).toHaveValue('no-such-agent-cli --flag "two words"');
  await expect(dialog.getByLabel(/First task/)).toHaveValue('Say hello');

  // Live checks: a taken or malformed name is flagged before sending.
  await dialog.getByLabel('Name').fill('bad name!');
  await expect(dialog.getByRole('alert').first()).toContainText('Use only letters, digits');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('kill asks first, then the agent shows as exited with its signal and can be restarted', async ({ page, host }) => {
  await openDashboard(page, host);
  const row = await spawnFromDialog(page, { name: 'Victim', commandLine: nodeCommandLine('agents/prompt-echo.mjs') });
  await expect(row.getByTestId('agent-status')).toHaveText(/Idle/);
  await row.getByRole('button', { name: 'Kill Victim' }).click();
  const confirm = page.getByRole('dialog', { name: 'Kill Victim?' });
  await confirm.getByRole('button', { name: 'Kill' }).click();
  await expect(row.getByTestId('agent-status')).toContainText(/Exited \(signal SIGTERM|Exited \(code/);
  // The user's own Kill raises no alert.
  await expect(page.getByTestId('toast')).toHaveCount(0);

  await row.getByRole('link', { name: 'Open console of Victim' }).click();
  await expect(page.getByTestId('exit-banner')).toContainText('Victim exited with');
  await page.getByTestId('exit-banner').getByRole('button', { name: 'Restart' }).click();
  await expect(page.getByTestId('exit-banner')).toBeHidden();
  await expectTerminalToShow(page, /agent Victim ready[\s\S]*agent Victim ready/);
});

test('an agent that exits on its own raises an in-app alert that opens its console', async ({ page, host }) => {
  await openDashboard(page, host);
  await spawnFromDialog(page, { name: 'Quitter', commandLine: nodeCommandLine('agents/prompt-echo.mjs'), env: 'FIXTURE_EXIT_CODE=3' });
  await exitFromConsole(page, 'Quitter');
  const toast = page.getByTestId('toast');
  await expect(toast).toContainText('Quitter exited (code 3)');
  await expect(page.getByTestId('exit-banner')).toContainText('code 3');
  await gotoHash(page, '#/messages');
  await toast.getByRole('link', { name: 'Open console' }).click();
  await expect(page).toHaveURL(/#\/agents\/Quitter\/console$/);
});

test('an agent that starts waiting for input is shown so, with the prompt as tooltip, and raises an alert', async ({ page, host }) => {
  await openDashboard(page, host);
  const row = await spawnFromDialog(page, { name: 'Asker', commandLine: nodeCommandLine('agents/permission-prompt.mjs') });
  const pill = row.getByTestId('agent-status');
  await expect(pill).toContainText('Waiting for input');
  await expect(pill).toHaveAttribute('title', /\S/);
  // Who and why: the alert and the sidebar's "Needs you" list name the agent and what it waits for.
  await expect(page.getByTestId('toast')).toContainText('Asker asks for permission');
  await expect(page.getByTestId('toast')).toContainText('permission prompt');
  const needsYou = page.getByRole('region', { name: /Needs you/ });
  await expect(needsYou.getByRole('link', { name: /Asker\s*permission prompt/ })).toBeVisible();
  await page.getByTestId('toast').getByRole('link', { name: 'Open console' }).click();
  await expectTerminalToShow(page, 'Do you want to proceed?');
  await page.getByRole('link', { name: 'Back to agents' }).first().click();
  await needsYou.getByRole('link', { name: /Asker/ }).click();
  await expect(page).toHaveURL(/#\/agents\/Asker\/console$/);
});

/** Frames the page's compositor drew in `ms` of wall time, read from a Chromium trace (drawing nothing is 0). */
async function framesDrawn(browser: Browser, page: Page, ms: number): Promise<number> {
  await browser.startTracing(page, { categories: ['disabled-by-default-devtools.timeline.frame'] });
  await page.waitForTimeout(ms);
  const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: Array<{ name: string }> };
  return trace.traceEvents.filter((event) => event.name === 'DrawFrame').length;
}

/** The animations the page runs, with how often each repeats (Infinity for an endless one). */
function runningAnimations(page: Page) {
  return page.evaluate(() =>
    document
      .getAnimations()
      .filter((animation) => animation.playState === 'running')
      .map((animation) => ({ name: animation instanceof CSSAnimation ? animation.animationName : animation.id, iterations: animation.effect?.getComputedTiming().iterations })),
  );
}

test('a working agent’s dot pulses a few times, then holds still in a ring: the Agents page stops drawing', async ({ page, host, browser }) => {
  await openDashboard(page, host);
  const idle = await spawnFromDialog(page, { name: 'Calm', commandLine: nodeCommandLine('agents/prompt-echo.mjs') });
  // A spinner redrawn ten times a second, as the agent CLIs show while they think: working for good.
  const busy = await spawnFromDialog(page, { name: 'Busy', commandLine: `/usr/bin/perl '${fixture('agents/spinner.pl')}' 0 10` });
  await expect(busy.getByTestId('agent-status')).toHaveAttribute('data-status', 'working');
  await expect(idle.getByTestId('agent-status')).toHaveAttribute('data-status', 'idle');
  const dot = (row: Locator) => row.locator('.status-pill-dot');

  // The pulse when it starts working is finite…
  for (const animation of await runningAnimations(page)) expect(animation.iterations).not.toBe(Infinity);
  // …and ends, while the agent works on: nothing on the page moves any more.
  await expect.poll(() => runningAnimations(page), { timeout: 15_000 }).toEqual([]);
  await expect(busy.getByTestId('agent-status')).toHaveAttribute('data-status', 'working');
  // Still plainly working: its own colour and a ring around the dot, which an idle agent's dot has not.
  const look = (row: Locator) => dot(row).evaluate((el) => ({ ring: getComputedStyle(el).outlineStyle, colour: getComputedStyle(el).backgroundColor }));
  const working = await look(busy);
  const calm = await look(idle);
  expect(working.ring).toBe('solid');
  expect(calm.ring).toBe('none');
  expect(working.colour).not.toBe(calm.colour);
  // What is drawn now: the uptime ticking once a second, no frame every vsync (an endless pulse drew ≈ 60 a second).
  expect(await framesDrawn(browser, page, 2_000)).toBeLessThanOrEqual(10);
  for (const theme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    // The colours change with a short transition: look once it is over.
    await expect.poll(() => runningAnimations(page)).toEqual([]);
    await saveScreenshot(page, `agents-working-${theme}`);
    await expectNoSeriousAxeFindings(page, `Agents with a working agent (${theme})`);
  }

  // The list shown again pulses again, a few times.
  await gotoHash(page, '#/messages');
  await gotoHash(page, '#/agents');
  await expect.poll(() => dot(busy).evaluate((el) => el.getAnimations().map((a) => a.effect?.getComputedTiming().iterations))).toEqual([3]);

  // With reduced motion: no pulse at all, the ring alone; and no endless spinner either (it turns once).
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await gotoHash(page, '#/messages');
  await gotoHash(page, '#/agents');
  await expect(busy.getByTestId('agent-status')).toHaveAttribute('data-status', 'working');
  expect(await dot(busy).evaluate((el) => el.getAnimations().length)).toBe(0);
  expect((await look(busy)).ring).toBe('solid');
  await page.evaluate(() => {
    const spinner = document.createElement('span');
    spinner.className = 'spinner';
    document.querySelector('main')!.append(spinner);
  });
  await expect.poll(() => runningAnimations(page)).toEqual([]);
});
