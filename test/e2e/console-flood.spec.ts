import { expect, openDashboard, test } from './fixtures.js';
import { DOM_RENDERER_LAUNCH, expectTerminalToShow, fixture, gotoHash, nodeCommandLine, spawnFromDialog } from './agent-ui.js';

test.use({ launchOptions: DOM_RENDERER_LAUNCH });

test('a 3 MB flood reaches the console to its last line: the console acknowledges as it draws, so the agent is never left paused', async ({ page, host }) => {
  await openDashboard(page, host);
  // Three times the daemon's window of unacknowledged output (1,000,000 characters): without
  // acknowledgements the agent would be paused for good before its last line.
  await spawnFromDialog(page, { name: 'Flood', commandLine: nodeCommandLine('agents/flood.mjs', '30000', '100', 'stay') });
  await gotoHash(page, '#/agents/Flood/console');
  await expectTerminalToShow(page, 'FLOOD DONE', 60_000);
  await expectTerminalToShow(page, /L030000 x+\s*\n\s*FLOOD DONE/);
  // And it is still live: what is typed now is echoed after the flood.
  await page.getByTestId('terminal').click();
  await page.keyboard.type('after');
  await expectTerminalToShow(page, /FLOOD DONE\s*\n\s*after/);
});

test('the status dot beside a working agent’s terminal does not pulse (the Agents list still does)', async ({ page, host }) => {
  await openDashboard(page, host);
  await spawnFromDialog(page, { name: 'Busy', commandLine: `/usr/bin/perl '${fixture('agents/spinner.pl')}' 0 10` });
  const dotAnimations = () =>
    page.evaluate(() => {
      const dot = document.querySelector('[data-testid="agent-status"][data-status="working"] .status-pill-dot');
      return dot ? dot.getAnimations().length : -1;
    });
  // On the Agents page the working agent's dot pulses…
  await expect.poll(dotAnimations, { timeout: 15_000 }).toBe(1);
  await gotoHash(page, '#/agents/Busy/console');
  await expect(page.locator('.console-header [data-testid="agent-status"]')).toHaveAttribute('data-status', 'working');
  // …beside its terminal it does not: an endless animation makes the page draw a frame every vsync.
  expect(await dotAnimations()).toBe(0);
});
