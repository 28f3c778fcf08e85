import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, fixture, useDaemon } from '../../support/cli-daemon.js';
import { runCliProcess } from '../../support/cli-process.js';
import { makeTempDir } from '../../support/temp-dir.js';

// A dozen CLI processes in a row, each a Node start: allow for a loaded machine.
describe('agent commands against a running daemon', { timeout: 60_000 }, () => {
  const tmp = useDaemon();

  it('spawn, agents, send, history, read, screen and kill work together', async () => {
    expect(await cli(tmp.dir, ['spawn', '--name', 'Bob', '--cwd', tmp.dir, '--', process.execPath, fixture('relay/bob.mjs')])).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^Started Bob \(pid \d+\) in /),
    });
    const spawnedJson = await cli(tmp.dir, ['spawn', '--name', 'Alice', '--json', '--', process.execPath, fixture('relay/alice.mjs')]);
    expect(JSON.parse(spawnedJson.out)).toMatchObject({ name: 'Alice', command: process.execPath });

    const listed = await cli(tmp.dir, ['agents']);
    expect(listed.out).toMatch(/^NAME\s+STATUS\s+PID\s+PROVIDER\s+UPTIME\s+CWD/);
    expect(listed.out).toMatch(new RegExp(`\\nBob\\s+\\S+\\s+\\d+\\s+-\\s+\\S+\\s+${tmp.dir}`));
    const listedJson = JSON.parse((await cli(tmp.dir, ['agents', '--json'])).out) as Array<{ name: string; pid: number }>;
    expect(listedJson.map((a) => a.name)).toEqual(['Bob', 'Alice']);

    // Alice's relay line reaches Bob.
    await expect.poll(async () => (await cli(tmp.dir, ['history'])).out, { timeout: 10_000 }).toMatch(/Alice → Bob\s+\[acknowledged\]\s+hello/);

    const sent = await cli(tmp.dir, ['send', 'Bob', 'hello', 'from', 'the', 'cli']);
    expect(sent.out).toMatch(/^Queued \S+ for Bob\.$/);
    const id = sent.out.split(' ')[1]!;
    await expect.poll(async () => (await cli(tmp.dir, ['screen', 'Bob'])).out, { timeout: 10_000 }).toContain(
      `bob got: Relay message from human [${id}]: hello from the cli`,
    );
    const read = await cli(tmp.dir, ['read', id]);
    expect(read.out).toContain(`Message ${id} from human to Bob`);
    await expect.poll(async () => (await cli(tmp.dir, ['read', id])).out, { timeout: 10_000 }).toMatch(/Bob: acknowledged at \d{4}-/);
    expect(read.out.trimEnd().endsWith('hello from the cli')).toBe(true);

    const history = JSON.parse((await cli(tmp.dir, ['history', '--json', '--agent', 'Alice'])).out) as Array<{ from: string }>;
    expect(history.every((m) => m.from === 'Alice' || m.from === 'human')).toBe(true);

    expect(await cli(tmp.dir, ['kill', 'Alice'])).toMatchObject({ code: 0, out: 'Alice exited (SIGTERM).' });
  });

  it('answers mistakes with the daemon\'s reason and exit 1, usage mistakes with exit 2', async () => {
    const unknown = await cli(tmp.dir, ['send', 'Nobody', 'hi']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('unknown_recipient');
    const missing = await cli(tmp.dir, ['spawn', '--name', 'Ghost', '--', 'no-such-agent-cli-xyz']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('no-such-agent-cli-xyz');
    expect((await cli(tmp.dir, ['spawn', '--name', 'NoCommand'])).code).toBe(2);
    expect((await cli(tmp.dir, ['screen', 'Nobody'])).err).toContain('There is no agent named Nobody');
  });
});

describe('agent commands without a daemon', () => {
  it.each([['agents'], ['send', 'Bob', 'hi'], ['history'], ['screen', 'Bob'], ['kill', 'Bob'], ['read', 'x']])(
    '%j says that no daemon is running and how to start one',
    async (...args) => {
      const tmp = makeTempDir();
      try {
        const result = await cli(tmp.dir, args);
        expect(result.code).toBe(1);
        expect(result.err).toContain('No daemon is running');
        expect(result.err).toContain('agent-relay-desktop up');
      } finally {
        tmp.cleanup();
      }
    },
  );
});

describe('spawn --provider', () => {
  it("starts the provider's CLI with the imported login, the chosen flag and extra --arg values", async () => {
    const tmp = makeTempDir();
    const home = makeTempDir();
    fs.mkdirSync(path.join(home.dir, '.claude'), { recursive: true });
    fs.writeFileSync(
      path.join(home.dir, '.claude', '.credentials.json'),
      JSON.stringify({ claudeAiOauth: { accessToken: 'sk-ant-oat01-cli-user', refreshToken: 'sk-ant-ort01-cli-user', expiresAt: Date.now() + 3600_000, scopes: [] } }),
    );
    fs.writeFileSync(
      path.join(tmp.dir, 'providers.json'),
      JSON.stringify({ providers: { anthropic: { cli: { command: fixture('agents/fake-claude.mjs'), skipPermissionsFlag: '--dangerously-skip-permissions', configHomeEnv: 'CLAUDE_CONFIG_DIR' } } } }),
    );
    const env = { HOME: home.dir };
    const daemon = runCliProcess(['up', '--port', '0', '--json', '--no-open', '--data-dir', tmp.dir], env);
    await daemon.firstLine;
    try {
      const imported = runCliProcess(['connect', 'anthropic', '--method', 'import', '--data-dir', tmp.dir], env);
      expect((await imported.exited).code).toBe(0);
      const spawned = runCliProcess(['spawn', '--name', 'Cl', '--provider', 'anthropic', '--skip-permissions', '--arg', '--model', '--arg', 'opus', '--data-dir', tmp.dir], env);
      expect((await spawned.exited).code).toBe(0);
      expect(spawned.stdout[0]).toMatch(/^Started Cl as anthropic/);
      await expect
        .poll(async () => (await cli(tmp.dir, ['screen', 'Cl'])).out.replace(/\n/g, ''), { timeout: 10_000 })
        .toMatch(/REPORT .*"accessToken":"sk-ant-oat01-cli-user".*"args":\["--dangerously-skip-permissions","--append-system-prompt",".*","--model","opus"\]/s);
      expect((await cli(tmp.dir, ['agents'])).out).toMatch(/Cl\s+\S+\s+\d+\s+anthropic\//);
    } finally {
      daemon.child.kill('SIGTERM');
      await daemon.exited;
      tmp.cleanup();
      home.cleanup();
    }
  });
});
