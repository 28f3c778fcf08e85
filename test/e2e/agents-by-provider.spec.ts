import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base } from '@playwright/test';
import { connectClient } from '../../main/core/transport/client.js';
import { writeProvidersJson } from '../support/auth-fixtures.js';
import { freshDataDir, startHost, type RunningHost } from '../support/headless-host.js';
import { DOM_RENDERER_LAUNCH, fixture, gotoHash, nodeCommandLine, terminalText } from './agent-ui.js';
import { expect, openDashboard, SCREENSHOT_DIR, saveScreenshot, test } from './fixtures.js';

test.use({ launchOptions: DOM_RENDERER_LAUNCH });
base.use({ launchOptions: DOM_RENDERER_LAUNCH });

/**
 * A host whose Anthropic CLI is the fake claude of test/fixtures, with an account imported from a
 * Claude Code login in a home folder of the test's own.
 */
async function hostWithClaudeAccount(): Promise<{ host: RunningHost; cleanup: () => Promise<void> }> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-home-'));
  fs.mkdirSync(path.join(home, '.claude'), { recursive: true });
  fs.writeFileSync(
    path.join(home, '.claude', '.credentials.json'),
    JSON.stringify({ claudeAiOauth: { accessToken: 'sk-ant-oat01-e2e-access', refreshToken: 'sk-ant-ort01-e2e-refresh', expiresAt: Date.now() + 3600_000, scopes: ['user:inference'], subscriptionType: 'max' } }),
    { mode: 0o600 },
  );
  const dataDir = freshDataDir();
  writeProvidersJson(dataDir, {
    anthropic: { cli: { command: fixture('agents/fake-claude.mjs'), skipPermissionsFlag: '--dangerously-skip-permissions', configHomeEnv: 'CLAUDE_CONFIG_DIR' } },
  });
  // The host finds CLI logins under its user's home: give it this one.
  const realHome = process.env.HOME;
  process.env.HOME = home;
  const host = await startHost({ dataDir }).finally(() => {
    process.env.HOME = realHome;
  });
  const client = await connectClient(host.origin, host.token);
  try {
    await client.call('providers.connect', { provider: 'anthropic', method: 'import' });
    await expect
      .poll(async () => (await client.call('providers.list')).providers.find((p) => p.id === 'anthropic')?.accounts.length)
      .toBe(1);
  } finally {
    client.close();
  }
  return {
    host,
    async cleanup() {
      await host.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

base('an agent started by provider from the dialog runs the CLI with the account and the flag the user chose', async ({ page }) => {
  base.setTimeout(60_000);
  const { host, cleanup } = await hostWithClaudeAccount();
  try {
    await page.setViewportSize({ width: 1280, height: 860 });
    await openDashboard(page, host);
    await gotoHash(page, '#/agents');
    await page.getByRole('button', { name: 'New agent' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New agent' });

    // A provider is connected: the dialog starts on its CLI, with the connected one chosen.
    await expect(dialog.getByRole('radio', { name: 'A provider’s CLI' })).toHaveAttribute('aria-checked', 'true');
    const providerSelect = dialog.getByLabel('Provider');
    await expect(providerSelect.locator('option:checked')).toHaveText('Claude Code · 1 account');
    // CLIs of providers that are not connected are listed, but cannot be chosen.
    await expect(providerSelect.locator('option', { hasText: 'Codex — connect it first' })).toBeDisabled();
    await expect(dialog.getByRole('link', { name: /Providers page/ })).toHaveAttribute('href', '#/providers');
    // One account: no account to choose.
    await expect(dialog.getByLabel('Account')).toHaveCount(0);

    await dialog.getByLabel('Name').fill('Claude1');
    const skip = dialog.getByRole('checkbox', { name: /Let it act without asking/ });
    await expect(skip).toHaveAccessibleName(/--dangerously-skip-permissions/);
    await skip.check();
    await expect(dialog.getByText(/runs commands and changes files without asking/)).toBeVisible();
    await dialog.getByLabel(/Extra arguments/).fill(`--model opus --name 'two words'`);
    // The preview shows what will run: the provider's CLI as the daemon knows it (here providers.json points it at the fake).
    await expect(dialog.getByTestId('parsed-command').locator('code')).toHaveText([fixture('agents/fake-claude.mjs'), '--dangerously-skip-permissions', '--model', 'opus', '--name', 'two words']);
    await dialog.getByLabel(/First task/).fill('Say hello to the others.');
    await page.mouse.move(0, 0);
    await page.setViewportSize({ width: 1280, height: 1100 });
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `spawn-dialog-provider-${theme}.png`), animations: 'disabled' });
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 860 });

    await dialog.getByRole('button', { name: 'Start agent' }).click();
    await expect(dialog).toBeHidden();
    const row = page.getByTestId('agent-row').filter({ has: page.getByRole('rowheader', { name: 'Claude1', exact: true }) });
    await expect(row).toBeVisible();
    await expect(row).toContainText('fake-claude.mjs');

    // The fake CLI reports what it was started with: its account's config home (Claude Code keeps the
    // login there, shared by the account's agents), the flag, the extra arguments.
    await row.getByRole('link', { name: 'Open console of Claude1' }).click();
    // The REPORT line is wider than the console: read it with the wrapped rows joined again.
    const report = async () => (await terminalText(page)).replace(/\n/g, '').match(/REPORT (\{.*?\})(?=claude>|\s)/)?.[1];
    await expect.poll(report).toBeTruthy();
    const seen = JSON.parse((await report())!) as { configDir: string; args: string[] };
    expect(path.dirname(seen.configDir)).toBe(path.join(host.dataDir, 'accounts', 'anthropic'));
    expect(seen.args[0]).toBe('--dangerously-skip-permissions');
    expect(seen.args.slice(-4)).toEqual(['--model', 'opus', '--name', 'two words']);

    // The team dialog offers the same choices, for every member.
    await gotoHash(page, '#/agents');
    await page.getByRole('button', { name: 'Start a team' }).click();
    const team = page.getByRole('dialog', { name: 'Start a team' });
    await team.getByLabel('Working folder').fill(host.dataDir);
    await team.getByRole('radio', { name: 'Feature' }).check();
    await team.getByRole('checkbox', { name: /Let it act without asking/ }).check();
    await page.mouse.move(0, 0);
    // Tall enough to show the whole dialog, from the folder to the footer.
    await page.setViewportSize({ width: 1280, height: 1240 });
    await team.evaluate((el) => el.scrollTo({ top: 0 }));
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `team-dialog-${theme}.png`), animations: 'disabled' });
    }
  } finally {
    await cleanup();
  }
});

test('with no provider connected the dialog runs a command, and its CLI choices say to connect first', async ({ page, host }) => {
  await openDashboard(page, host);
  await gotoHash(page, '#/agents');
  await page.getByRole('button', { name: 'New agent' }).click();
  const dialog = page.getByRole('dialog', { name: 'New agent' });
  await expect(dialog.getByRole('radio', { name: 'A command' })).toHaveAttribute('aria-checked', 'true');
  await expect(dialog.getByLabel('Command')).toBeVisible();

  await dialog.getByRole('radio', { name: 'A provider’s CLI' }).click();
  const providerSelect = dialog.getByLabel('Provider');
  await expect(providerSelect.locator('option', { hasText: 'Claude Code — connect it first' })).toBeDisabled();
  await expect(dialog.getByRole('checkbox', { name: /Let it act without asking/ })).toBeDisabled();
  await dialog.getByLabel('Name').fill('Claude1');
  await dialog.getByRole('button', { name: 'Start agent' }).click();
  await expect(dialog.getByRole('alert').filter({ hasText: 'Connect a provider on the Providers page first' })).toBeVisible();
  await dialog.getByRole('link', { name: 'Connect one on the Providers page' }).click();
  await expect(page).toHaveURL(/#\/providers$/);
  await expect(dialog).toBeHidden();
});

test('the Code review team starts three agents running a command; a second start names the taken names', async ({ page, host }) => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-team-'));
  const broken = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-team-broken-'));
  fs.writeFileSync(path.join(broken, 'teams.json'), '{"name": "Half", "members": [');
  try {
    await openDashboard(page, host);
    await gotoHash(page, '#/agents');
    // The empty page offers it too.
    await page.getByRole('region', { name: 'No agents running' }).getByRole('button', { name: 'Start a team' }).click();
    const dialog = page.getByRole('dialog', { name: 'Start a team' });
    const codeReview = dialog.getByTestId('team-option').filter({ hasText: 'Code review' });
    await expect(codeReview.getByRole('listitem')).toHaveText([/^Architect/, /^Reviewer/, /^Auditor/]);
    await expect(codeReview.getByRole('listitem').nth(2)).toContainText('security problems');

    // A teams.json that does not parse is named, with what is wrong; the built-in teams stay.
    await dialog.getByLabel('Working folder').fill(broken);
    await expect(dialog.getByTestId('teams-problem')).toContainText(path.join(broken, 'teams.json'));
    await expect(dialog.getByTestId('teams-problem')).toContainText('not valid JSON');
    await dialog.getByLabel('Working folder').fill(folder);
    await expect(dialog.getByTestId('teams-problem')).toHaveCount(0);

    await dialog.getByRole('radio', { name: 'Code review' }).check();
    await expect(dialog.getByRole('radio', { name: 'A command' })).toHaveAttribute('aria-checked', 'true');
    await dialog.getByLabel('Command').fill(nodeCommandLine('agents/prompt-echo.mjs'));
    await dialog.getByRole('button', { name: 'Start 3 agents' }).click();
    await expect(dialog).toBeHidden();

    const rows = page.getByTestId('agent-row');
    await expect(rows.getByRole('rowheader')).toHaveText(['Architect', 'Reviewer', 'Auditor']);
    for (const name of ['Architect', 'Reviewer', 'Auditor']) {
      await expect(rows.filter({ has: page.getByRole('rowheader', { name, exact: true }) })).toContainText('prompt-echo.mjs');
    }

    // Again: refused before anything starts, naming every taken name, and the choices are kept.
    await page.getByRole('button', { name: 'Start a team' }).click();
    await dialog.getByLabel('Working folder').fill(folder);
    await dialog.getByRole('radio', { name: 'A command' }).click();
    await dialog.getByLabel('Command').fill(nodeCommandLine('agents/prompt-echo.mjs'));
    await expect(dialog.getByRole('note')).toContainText('Architect, Reviewer and Auditor are already running');
    await dialog.getByRole('button', { name: 'Start 3 agents' }).click();
    const error = dialog.getByTestId('spawn-error');
    await expect(error).toHaveAttribute('data-code', 'agent_exists');
    await expect(error).toContainText('Architect, Reviewer, Auditor');
    await expect(dialog.getByLabel('Working folder')).toHaveValue(folder);
    await expect(rows).toHaveCount(3);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
    fs.rmSync(broken, { recursive: true, force: true });
  }
});

test('Start at login shows switched off and disabled in the web dashboard, saying where it is available', async ({ page, host }) => {
  await openDashboard(page, host);
  await gotoHash(page, '#/settings');
  const desktop = page.getByRole('region', { name: 'Desktop' });
  const toggle = desktop.getByRole('switch', { name: 'Start at login' });
  await expect(toggle).toBeDisabled();
  await expect(toggle).toHaveAttribute('aria-checked', 'false');
  await expect(toggle).toHaveAccessibleDescription(/Start at login is available in the desktop app\./);
  await expect(desktop.getByTestId('login-item-detail')).toHaveText('Start at login is available in the desktop app.');
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await saveScreenshot(page, `settings-desktop-${theme}`);
  }
});
