import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createService, type RelayService } from '../../../main/core/service.js';
import { JsonFileSettingsStore } from '../../../main/core/settings/settings-store.js';
import { captureLogger } from '../../support/capture-logger.js';
import { makeTempDir } from '../../support/temp-dir.js';

const echo = path.resolve('test/fixtures/relay/bob.mjs');

describe('teams', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let service: RelayService;
  const call = async (method: string, ...args: unknown[]) => {
    const reply = await service.dispatcher.dispatch(method, args);
    if (!reply.ok) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
    return reply.value as never;
  };

  beforeEach(() => {
    tmp = makeTempDir();
    service = createService({ host: 'headless', version: 't', dataDir: tmp.dir, settingsStore: new JsonFileSettingsStore(tmp.dir), logger: captureLogger().logger });
  });
  afterEach(async () => {
    await service.close();
    tmp.cleanup();
  });

  it('lists the built-in templates', async () => {
    const { templates } = await call('teams.list', {});
    expect((templates as Array<{ id: string; members: Array<{ name: string }> }>).map((t) => [t.id, t.members.map((m) => m.name)])).toEqual([
      ['code-review', ['Architect', 'Reviewer', 'Auditor']],
      ['feature', ['Lead', 'Frontend', 'Backend', 'Tester']],
    ]);
  });

  it('starts every member with its role and teammates in its first message', async () => {
    const agents = (await call('teams.start', { team: 'code-review', cwd: tmp.dir, command: process.execPath, args: [echo] })) as Array<{ name: string }>;
    expect(agents.map((a) => a.name)).toEqual(['Architect', 'Reviewer', 'Auditor']);
    // The whole message, not only its first sentence: the agent may still be echoing the rest.
    const screen = () => call('terminal.screen', 'Auditor').then((rows) => (rows as string[]).join(''));
    await expect.poll(screen, { timeout: 15_000 }).toContain('->relay:Name');
    expect(await screen()).toContain('You are Auditor, one of 3 agents working as the "Code review" team');
    expect(await screen()).toContain('Your role: Audit the change for security problems');
    await expect(call('teams.start', { team: 'code-review', cwd: tmp.dir, command: process.execPath })).rejects.toMatchObject({ code: 'agent_exists' });
  });

  it('reads teams.json from the working folder, and reports a malformed one without losing the built-ins', async () => {
    fs.writeFileSync(
      path.join(tmp.dir, 'teams.json'),
      JSON.stringify({ name: 'Pair', members: [{ name: 'Driver', role: 'Write the code.' }, { name: 'Navigator', role: 'Review as it is written.' }] }),
    );
    const { templates } = await call('teams.list', { cwd: tmp.dir });
    expect(templates).toContainEqual(expect.objectContaining({ id: 'file-1', name: 'Pair', source: path.join(tmp.dir, 'teams.json') }));

    fs.writeFileSync(path.join(tmp.dir, 'teams.json'), JSON.stringify({ name: 'Broken', members: [{ name: 'bad name!', role: 'x' }] }));
    const broken = (await call('teams.list', { cwd: tmp.dir })) as { templates: unknown[]; problem: string };
    expect(broken.templates).toHaveLength(2);
    expect(broken.problem).toContain('teams.json');
    expect(broken.problem).toContain('members.0.name');
  });
});
