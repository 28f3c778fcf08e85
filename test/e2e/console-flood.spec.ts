import type { Page } from '@playwright/test';
import { expect, openDashboard, test } from './fixtures.js';
import { DOM_RENDERER_LAUNCH, expectTerminalToShow, fixture, gotoHash, nodeCommandLine, spawnFromDialog, terminalText } from './agent-ui.js';

test.use({ launchOptions: DOM_RENDERER_LAUNCH });

test('a 7 MB flood reaches the console to its last line: the console acknowledges as it draws, so the agent is never left paused', async ({ page, host }) => {
  await openDashboard(page, host);
  // More than the daemon's window of unacknowledged output (6,000,000 characters): without
  // acknowledgements the agent would be paused for good before its last line.
  await spawnFromDialog(page, { name: 'Flood', commandLine: nodeCommandLine('agents/flood.mjs', '70000', '100', 'stay') });
  await gotoHash(page, '#/agents/Flood/console');
  await expectTerminalToShow(page, 'FLOOD DONE', 60_000);
  await expectTerminalToShow(page, /L070000 x+\s*\n\s*FLOOD DONE/);
  // The console skipped output that would have scrolled out unseen (a fast-forward), and its search
  // still finds the lines its 10,000-line scrollback keeps, once each, and not those scrolled out.
  expect(Number(await page.getByTestId('terminal').getAttribute('data-fast-forwards'))).toBeGreaterThan(0);
  await page.getByTestId('terminal').click();
  await page.keyboard.press('ControlOrMeta+f');
  const find = page.getByRole('search', { name: 'Find in console' });
  await find.getByRole('textbox').fill('L061000 ');
  await expect(find.getByTestId('search-count')).toHaveText(/1 of 1$/);
  await find.getByRole('textbox').fill('L059000 ');
  await expect(find.getByTestId('search-count')).toHaveText(/no results/i);
  await find.getByRole('textbox').press('Escape');
  // And it is still live: what is typed now is echoed after the flood.
  await page.getByTestId('terminal').click();
  await page.keyboard.type('after');
  await expectTerminalToShow(page, /FLOOD DONE\s*\n\s*after/);
});

test('the status dot beside a working agent’s terminal does not pulse (the Agents list pulses a few times)', async ({ page, host }) => {
  await openDashboard(page, host);
  await spawnFromDialog(page, { name: 'Busy', commandLine: `/usr/bin/perl '${fixture('agents/spinner.pl')}' 0 10` });
  const dotAnimations = () =>
    page.evaluate(() => {
      const dot = document.querySelector('[data-testid="agent-status"][data-status="working"] .status-pill-dot');
      return dot ? dot.getAnimations().length : -1;
    });
  // On the Agents page the working agent's dot pulses (a few times, agents.spec.ts)…
  await expect.poll(dotAnimations, { timeout: 15_000 }).toBe(1);
  await gotoHash(page, '#/agents/Busy/console');
  await expect(page.locator('.console-header [data-testid="agent-status"]')).toHaveAttribute('data-status', 'working');
  // …beside its terminal it does not: an endless animation makes the page draw a frame every vsync.
  expect(await dotAnimations()).toBe(0);
});

/** The agent's screen as the daemon holds it (terminal.screen, over a WebSocket of the test's own). */
function daemonScreen(page: Page, name: string): Promise<string> {
  return page.evaluate(
    (agent) =>
      new Promise<string>((resolve, reject) => {
        const ws = new WebSocket(new URL('/ws', location.href).href.replace(/^http/, 'ws'));
        ws.onopen = () => ws.send(JSON.stringify({ type: 'call', id: 1, method: 'terminal.screen', args: [agent] }));
        ws.onmessage = (message) => {
          if (typeof message.data !== 'string') return;
          const frame = JSON.parse(message.data) as { id?: number; ok?: boolean; value?: string[]; error?: { message: string } };
          if (frame.id !== 1) return;
          ws.close();
          if (frame.ok) resolve((frame.value ?? []).join('\n'));
          else reject(new Error(frame.error?.message));
        };
      }),
    name,
  );
}

/** Tells the page it is hidden or shown, as switching tabs or minimising the window does (the browser here never hides it). */
async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((value) => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => value });
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (value ? 'hidden' : 'visible') });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

test('a console hidden during a flood stops taking output, the agent runs on, and the console catches up when shown', async ({ page, host }) => {
  await openDashboard(page, host);
  // The flood starts 2 s after Enter, by when the hidden console has let go.
  const words = ['/bin/sh', '-c', 'read go; sleep 2; exec "$0" "$@"', process.execPath, fixture('agents/flood.mjs'), '70000', '100', 'stay'];
  await spawnFromDialog(page, { name: 'Hidden', commandLine: words.map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ') });
  await gotoHash(page, '#/agents/Hidden/console');
  await page.getByTestId('terminal').click();
  await page.keyboard.press('Enter');
  await setHidden(page, true);
  // 7 MB, more than the daemon lets a console leave unacknowledged: it finishes only because the
  // hidden console no longer holds it back.
  await expect.poll(() => daemonScreen(page, 'Hidden'), { timeout: 60_000 }).toContain('FLOOD DONE');
  // …while the hidden console took none of it (no flood line drawn, nothing parsed).
  expect(await terminalText(page)).not.toMatch(/L0\d{5} x/);
  await setHidden(page, false);
  await expectTerminalToShow(page, /L070000 x+\s*\n\s*FLOOD DONE/, 30_000);
});
