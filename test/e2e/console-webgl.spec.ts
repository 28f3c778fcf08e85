import { expect, openDashboard, test } from './fixtures.js';
import { gotoHash, nodeCommandLine, spawnFromDialog } from './agent-ui.js';

test('the console draws with WebGL where the browser has it, and still shows the agent', async ({ page, host }) => {
  await openDashboard(page, host);
  await spawnFromDialog(page, { name: 'Gl', commandLine: nodeCommandLine('agents/prompt-echo.mjs') });
  await gotoHash(page, '#/agents/Gl/console');
  const frame = page.locator('.terminal-frame');
  // Debian's Chromium renders WebGL in software here; a browser without it falls back to the DOM renderer.
  await expect(frame).toHaveAttribute('data-renderer', /^(webgl|dom)$/);
  const renderer = await frame.getAttribute('data-renderer');
  await expect(page.getByTestId('terminal').locator(renderer === 'webgl' ? 'canvas' : '.xterm-rows').first()).toBeVisible();
});
