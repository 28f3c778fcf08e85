import fs from 'node:fs';
import path from 'node:path';
import { connectClient } from '../../main/core/transport/client.js';
import { freshDataDir, startHost, type RunningHost } from '../support/headless-host.js';
import { DOM_RENDERER_LAUNCH, expectTerminalToShow, gotoHash } from './agent-ui.js';
import { expect, saveScreenshot, test } from './fixtures.js';
import { AxeBuilder } from '@axe-core/playwright';

test.use({ launchOptions: DOM_RENDERER_LAUNCH });

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A stand-in for the `claude` CLI: prints the arguments it got and stays, like an agent waiting. */
function fakeClaude(dir: string): string {
  const file = path.join(dir, 'bin', 'claude');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `#!${process.execPath}\nprocess.stdout.write('claude args: ' + JSON.stringify(process.argv.slice(2)) + '\\n');\nsetInterval(() => undefined, 60000);\n`, { mode: 0o755 });
  return file;
}

for (const theme of ['light', 'dark'] as const) {
  test(`after a simulated reboot the app offers to start the team again, resuming each CLI (${theme})`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: theme });
    const dataDir = freshDataDir();
    const project = fs.mkdtempSync(path.join(dataDir, 'project-'));
    const claude = fakeClaude(dataDir);
    let first: RunningHost | undefined = await startHost({ dataDir });
    let second: RunningHost | undefined;
    try {
      const client = await connectClient(first.origin, first.token);
      const pids: number[] = [];
      for (const spec of [
        { name: 'Planner', command: claude, args: ['--model', 'opus'] },
        { name: 'Runner', command: process.execPath, args: [path.resolve('test/fixtures/terminal-host/printer.mjs')] },
      ]) {
        pids.push((await client.call('agents.spawn', { ...spec, cwd: project })).pid!);
      }
      client.close();
      // The machine "reboots": the daemon, the terminal host and every agent die at once, with no goodbye.
      const hostPid = (JSON.parse(fs.readFileSync(path.join(dataDir, 'terminal-host.json'), 'utf8')) as { pid: number }).pid;
      for (const pid of [first.child.pid!, hostPid, ...pids]) process.kill(pid, 'SIGKILL');
      await first.stop();
      first = undefined;
      await expect.poll(() => [hostPid, ...pids].some(alive)).toBe(false);

      second = await startHost({ dataDir });
      await page.goto(second.url);
      const offer = page.getByRole('region', { name: 'Start your team again?' });
      await expect(offer).toBeVisible();
      await expect(offer).toContainText('2 agents were running');
      await expect(offer.getByRole('listitem').filter({ hasText: 'Planner' })).toContainText('claude --model opus --continue');
      await expect(offer.getByRole('listitem').filter({ hasText: 'Runner' })).toContainText(project);
      const axe = await new AxeBuilder({ page }).include('[data-testid="restore-offer"]').analyze();
      expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
      await saveScreenshot(page, `restore-offer-${theme}`);

      await offer.getByRole('button', { name: 'Start them again' }).click();
      await expect(offer).toBeHidden();
      const verify = await connectClient(second.origin, second.token);
      try {
        await expect.poll(async () => (await verify.call('agents.list')).map((a) => [a.name, a.status !== 'exited', a.cwd])).toEqual([
          ['Planner', true, project],
          ['Runner', true, project],
        ]);
        const again = await verify.call('agents.list');
        expect(again.map((a) => a.pid)).not.toContain(pids[0]);
      } finally {
        verify.close();
      }
      await gotoHash(page, '#/agents/Planner/console');
      await expectTerminalToShow(page, 'claude args: ["--model","opus","--continue"]');
      // Offered once: a reload does not ask again.
      await page.reload();
      await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
      await expect(page.getByTestId('restore-offer')).toHaveCount(0);
    } finally {
      if (first) await first.stop();
      if (second) await second.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
}
