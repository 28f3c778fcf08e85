import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base } from '@playwright/test';
import { freshDataDir, startHost } from '../support/headless-host.js';
import { SCREENSHOT_DIR } from './fixtures.js';
import { expect, gotoHash, openApp } from './provider-ui.js';

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A Codex login as the codex CLI leaves it in ~/.codex/auth.json (the id_token is a JWT; Codex does not check its signature). */
function writeCodexLogin(home: string): void {
  const idToken = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({
    email: 'dev@example.test',
    'https://api.openai.com/auth': { chatgpt_account_id: 'acct-123', chatgpt_plan_type: 'plus' },
  })}.sig`;
  fs.mkdirSync(path.join(home, '.codex'), { recursive: true });
  fs.writeFileSync(
    path.join(home, '.codex', 'auth.json'),
    JSON.stringify({ auth_mode: 'chatgpt', OPENAI_API_KEY: null, tokens: { id_token: idToken, access_token: 'codex-access-not-real', refresh_token: 'codex-refresh-not-real', account_id: 'acct-123' }, last_refresh: new Date().toISOString() }),
    { mode: 0o600 },
  );
}

base('"Import from ~/.codex/auth.json" takes over the Codex CLI login in one click and says where it came from', async ({ page }) => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-home-'));
  writeCodexLogin(home);
  const before = fs.readFileSync(path.join(home, '.codex', 'auth.json'), 'utf8');
  const dataDir = freshDataDir();
  // The host finds CLI logins under its user's home: give it one with a Codex login in it.
  const realHome = process.env.HOME;
  process.env.HOME = home;
  const host = await startHost({ dataDir }).finally(() => {
    process.env.HOME = realHome;
  });
  try {
    await openApp(page, host);
    await gotoHash(page, '#/providers');
    const card = page.getByTestId('provider-openai');
    // Claude Code has no login on this machine: no import offered there.
    await page.getByTestId('provider-anthropic').getByRole('button', { name: 'Other ways to sign in' }).click();
    await expect(page.getByRole('menuitem', { name: /Import from/ })).toHaveCount(0);
    await page.keyboard.press('Escape');

    await card.getByRole('button', { name: 'Other ways to sign in' }).click();
    await page.getByRole('menuitem', { name: /Import from ~\/\.codex\/auth\.json/ }).click();
    await expect(card.getByTestId('provider-headline')).toHaveText('Connected as dev@example.test');
    await expect(card.getByTestId('account-row')).toContainText('Plus plan');
    await expect(card.getByTestId('account-row')).toContainText('imported from ~/.codex/auth.json');
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await card.screenshot({ path: path.join(SCREENSHOT_DIR, `card-imported-${theme}.png`), animations: 'disabled' });
    }
    // The CLI's own file is read, never changed.
    expect(fs.readFileSync(path.join(home, '.codex', 'auth.json'), 'utf8')).toBe(before);
  } finally {
    await host.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(home, { recursive: true, force: true });
  }
});
