import { expect, openDashboard, test } from './fixtures.js';
import { DOM_RENDERER_LAUNCH, expectTerminalToShow, gotoHash, nodeCommandLine, spawnFromDialog } from './agent-ui.js';

test.use({ launchOptions: DOM_RENDERER_LAUNCH });

test("Alice's relay line shows as acknowledged on the Messages page and arrives in Bob's console", async ({ page, host }) => {
  await openDashboard(page, host);
  await spawnFromDialog(page, { name: 'Bob', commandLine: nodeCommandLine('relay/bob.mjs') });
  await spawnFromDialog(page, { name: 'Alice', commandLine: nodeCommandLine('relay/alice.mjs') });

  await gotoHash(page, '#/messages');
  const message = page.getByTestId('message').filter({ hasText: 'hello' }).first();
  await expect(message).toContainText('Alice');
  await expect(message).toContainText('Bob');
  await expect(message.getByTestId('message-body')).toHaveText('hello');
  await expect(message.getByTestId('delivery-status').first()).toHaveText('Acknowledged', { timeout: 15_000 });

  // Per-recipient deliveries open on demand.
  await message.getByRole('button', { name: 'Delivery' }).click();
  await expect(message.locator('.delivery')).toContainText('Bob');

  await gotoHash(page, '#/agents/Bob/console');
  await expectTerminalToShow(page, /bob got: Relay message from Alice \[[^\]]+\]: hello/);
});

test('a message sent from the composer reaches Bob, and an unknown name is refused inline with the text kept', async ({ page, host }) => {
  await openDashboard(page, host);
  await spawnFromDialog(page, { name: 'Bob', commandLine: nodeCommandLine('relay/bob.mjs') });
  await gotoHash(page, '#/messages');
  await expect(page.getByRole('heading', { level: 2, name: 'No messages yet' })).toBeVisible();

  const composer = page.getByRole('form', { name: 'Send a message' });
  await expect(composer.getByLabel('To')).toHaveValue('Bob');
  await composer.getByLabel('Message').fill('please review the router');
  await composer.getByLabel('Message').press('ControlOrMeta+Enter');
  await expect(composer.getByLabel('Message')).toHaveValue('');
  const sent = page.getByTestId('message').filter({ hasText: 'please review the router' });
  await expect(sent).toContainText('You');
  await expect(sent.getByTestId('delivery-status').first()).toHaveText('Acknowledged', { timeout: 15_000 });

  await gotoHash(page, '#/agents/Bob/console');
  await expectTerminalToShow(page, /bob got: Relay message from [^\n]*please review the router/);

  // Bob leaves; a message to him now names who exists, and what was typed stays.
  await gotoHash(page, '#/agents');
  await page.getByRole('button', { name: 'Remove Bob' }).click();
  await page.getByRole('dialog', { name: 'Remove Bob?' }).getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'No agents running' })).toBeVisible();
  await gotoHash(page, '#/messages');
  await composer.getByLabel('Message').fill('are you there?');
  await composer.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByTestId('composer-error')).toBeVisible();
  await expect(composer.getByLabel('Message')).toHaveValue('are you there?');
});

test('messages filter by agent and by thread', async ({ page, host }) => {
  await openDashboard(page, host);
  await spawnFromDialog(page, { name: 'Bob', commandLine: nodeCommandLine('relay/bob.mjs') });
  await spawnFromDialog(page, { name: 'Carol', commandLine: nodeCommandLine('relay/bob.mjs') });
  await gotoHash(page, '#/messages');
  const composer = page.getByRole('form', { name: 'Send a message' });
  for (const [to, body] of [
    ['Bob', 'first to Bob'],
    ['Carol', 'first to Carol'],
    ['Bob', 'second to Bob'],
  ] as const) {
    await composer.getByLabel('To').selectOption(to);
    await composer.getByLabel('Message').fill(body);
    await composer.getByRole('button', { name: 'Send' }).click();
    await expect(page.getByTestId('message').filter({ hasText: body })).toBeVisible();
  }
  // Newest first.
  await expect(page.getByTestId('message-body')).toHaveText(['second to Bob', 'first to Carol', 'first to Bob']);

  await page.getByRole('group', { name: 'Filter messages' }).getByLabel('Agent').selectOption('Carol');
  await expect(page.getByTestId('message-body')).toHaveText(['first to Carol']);
  await page.getByRole('group', { name: 'Filter messages' }).getByLabel('Agent').selectOption('');
  await expect(page.getByTestId('message-body')).toHaveCount(3);

  // The human's messages to Bob share one thread.
  await page.getByTestId('message').filter({ hasText: 'second to Bob' }).locator('.thread-chip').click();
  await expect(page.getByTestId('thread-filter')).toBeVisible();
  await expect(page.getByTestId('message-body')).toHaveText(['second to Bob', 'first to Bob']);
  await page.getByRole('button', { name: 'Show all threads' }).click();
  await expect(page.getByTestId('message-body')).toHaveCount(3);
});
