import path from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';

/**
 * Chromium without WebGL, so xterm draws with its DOM renderer and the tests read the rows the user
 * sees as text (WebGL draws pixels). The WebGL path has its own check in console.spec.ts.
 */
export const DOM_RENDERER_LAUNCH = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-gpu', '--disable-webgl', '--disable-3d-apis'],
};

export const FIXTURES = path.resolve('test', 'fixtures');
export const fixture = (relative: string): string => path.join(FIXTURES, relative);

/** A command line that runs a fixture with this Node, quoted the way the dialog parses it. */
export const nodeCommandLine = (relative: string, ...args: string[]): string =>
  [process.execPath, fixture(relative), ...args].map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');

export async function gotoHash(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => {
    location.hash = h;
  }, hash);
}

export interface NewAgentSpec {
  readonly name: string;
  readonly commandLine: string;
  readonly task?: string;
  readonly env?: string;
}

/** Opens the "New agent" dialog from the Agents page; returns the dialog. */
export async function openNewAgentDialog(page: Page): Promise<Locator> {
  await gotoHash(page, '#/agents');
  await page.getByRole('button', { name: 'New agent' }).first().click();
  return page.getByRole('dialog', { name: 'New agent' });
}

/** Types a name and command line, and the first task and environment if given, into the open "New agent" dialog. */
export async function fillNewAgentDialog(dialog: Locator, spec: NewAgentSpec): Promise<void> {
  await dialog.getByLabel('Name').fill(spec.name);
  await dialog.getByLabel('Command').fill(spec.commandLine);
  if (spec.task) await dialog.getByLabel(/First task/).fill(spec.task);
  if (spec.env) await dialog.getByLabel(/Environment/).fill(spec.env);
}

/** Spawns an agent through the "New agent" dialog on the Agents page and waits for its row. */
export async function spawnFromDialog(page: Page, spec: NewAgentSpec): Promise<Locator> {
  const dialog = await openNewAgentDialog(page);
  await fillNewAgentDialog(dialog, spec);
  await dialog.getByLabel('Name').press('Enter');
  await expect(dialog).toBeHidden();
  const row = page.getByTestId('agent-row').filter({ has: page.getByRole('rowheader', { name: spec.name, exact: true }) });
  await expect(row).toBeVisible();
  return row;
}

/** Opens the console of an agent running agents/prompt-echo.mjs, waits for its greeting and types `exit` into it. */
export async function exitFromConsole(page: Page, name: string): Promise<void> {
  await gotoHash(page, `#/agents/${name}/console`);
  await expectTerminalToShow(page, `agent ${name} ready`);
  await page.getByTestId('terminal').click();
  await page.keyboard.type('exit');
  await page.keyboard.press('Enter');
}

/** The text the console shows, row by row, as xterm drew it (DOM renderer rows or its accessibility tree). */
export function terminalText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const box = document.querySelector('[data-testid="terminal"]');
    const rows = box?.querySelector('.xterm-rows') ?? box?.querySelector('.xterm-accessibility-tree');
    if (!rows) return '';
    return Array.from(rows.children).map((row) => (row.textContent ?? '').replace(/\u00a0/g, ' ')).join('\n');
  });
}

export async function expectTerminalToShow(page: Page, pattern: RegExp | string, timeout = 10_000): Promise<void> {
  await expect.poll(() => terminalText(page), { timeout }).toMatch(typeof pattern === 'string' ? new RegExp(escapeRegExp(pattern)) : pattern);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
