import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentRestore, type RestoreHost } from '../../../main/core/network/agent-restore.js';
import type { RecordedAgent } from '../../../main/core/network/agent-record.js';

const recipe: RecordedAgent = { name: 'Ann', provider: null, account: null, skipPermissions: false, command: 'bash', args: [], cwd: '/work', running: true };

describe('agents.json as the agents change', () => {
  let dir: string;
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is written when an agent starts or exits, not again when only its status (working, idle) changes', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restore-'));
    let status = 'idle';
    const host = {
      dataDir: dir,
      logger: { warn: () => undefined, info: () => undefined },
      relay: { failAbsentRecipients: () => undefined, failQueuedFor: () => undefined },
      agents: () => [{ name: 'Ann', status }],
      has: () => true,
      idOf: () => 'id-1',
      idInUse: () => true,
      start: () => Promise.reject(new Error('not here')),
    } as unknown as RestoreHost;
    const restore = new AgentRestore(host);
    const file = path.join(dir, 'agents.json');
    const saved = () => (JSON.parse(fs.readFileSync(file, 'utf8')) as { savedAt: string; agents: RecordedAgent[] });

    restore.started(recipe);
    const first = saved();
    expect(first.agents).toEqual([{ ...recipe, id: 'id-1', running: true }]);
    // A status change: the record says the same, so the file is left as it was (same savedAt).
    fs.utimesSync(file, new Date(0), new Date(0));
    status = 'working';
    restore.save();
    status = 'idle';
    restore.save();
    expect(fs.statSync(file).mtimeMs).toBe(0);
    expect(saved().savedAt).toBe(first.savedAt);
    // It exits: that is news, written.
    status = 'exited';
    restore.save();
    expect(fs.statSync(file).mtimeMs).toBeGreaterThan(0);
    expect(saved().agents[0]?.running).toBe(false);
  });
});
