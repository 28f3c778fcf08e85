import { expect, openDashboard, test } from './fixtures.js';
import { DOM_RENDERER_LAUNCH, expectTerminalToShow, gotoHash, nodeCommandLine, spawnFromDialog } from './agent-ui.js';

test.use({ launchOptions: DOM_RENDERER_LAUNCH });

test('Ctrl/Cmd+F finds text in the console; Enter moves to the next match and Esc closes', async ({ page, host }) => {
  await openDashboard(page, host);
  await spawnFromDialog(page, { name: 'Finder', commandLine: nodeCommandLine('agents/prompt-echo.mjs') });
  await gotoHash(page, '#/agents/Finder/console');
  await expectTerminalToShow(page, 'agent Finder ready');
  await page.getByTestId('terminal').click();
  for (const word of ['apple', 'banana', 'apple pie']) {
    await page.keyboard.type(word);
    await page.keyboard.press('Enter');
    // One line at a time: keys typed before the answer would land in the middle of it.
    await expectTerminalToShow(page, `echo: ${word}`);
  }

  await page.keyboard.press('ControlOrMeta+f');
  const find = page.getByRole('search', { name: 'Find in console' });
  await expect(find).toBeVisible();
  await find.getByRole('textbox').fill('apple');
  // Typed twice and echoed twice: four matches.
  await expect(find.getByTestId('search-count')).toHaveText(/of 4$/);
  const first = await find.getByTestId('search-count').textContent();
  await find.getByRole('textbox').press('Enter');
  await expect(find.getByTestId('search-count')).not.toHaveText(first ?? '');
  await find.getByRole('textbox').press('Escape');
  await expect(find).toBeHidden();
});

test('"Open in new window" opens the console route in a new tab when the host has no windows', async ({ page, host }) => {
  await openDashboard(page, host);
  await spawnFromDialog(page, { name: 'Popout', commandLine: nodeCommandLine('agents/prompt-echo.mjs') });
  await gotoHash(page, '#/agents/Popout/console');
  await expectTerminalToShow(page, 'agent Popout ready');
  const [popup] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('button', { name: 'Open in new window' }).click()]);
  await expect(popup).toHaveURL(/#\/agents\/Popout\/console$/);
  await expect(popup.getByRole('heading', { level: 1, name: 'Popout' })).toBeVisible();
  await expect.poll(() => popup.evaluate(() => document.querySelector('.xterm-rows')?.textContent ?? '')).toContain('agent Popout ready');
});

test('Back to agents returns to the list, and the console detaches', async ({ page, host }) => {
  await openDashboard(page, host);
  await spawnFromDialog(page, { name: 'Round', commandLine: nodeCommandLine('agents/prompt-echo.mjs') });
  await gotoHash(page, '#/agents/Round/console');
  await expectTerminalToShow(page, 'agent Round ready');
  await page.getByRole('link', { name: 'Back to agents' }).first().click();
  await expect(page).toHaveURL(/#\/agents$/);
  await expect(page.getByTestId('agent-row')).toHaveCount(1);
});

test('a console of an agent that does not exist says so', async ({ page, host }) => {
  await openDashboard(page, host);
  await gotoHash(page, '#/agents/Nobody/console');
  await expect(page.getByTestId('attach-error')).toContainText('There is no agent named Nobody');
});
