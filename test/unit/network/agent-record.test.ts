import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAgentRecord, resumeArgs, writeAgentRecord, type RecordedAgent } from '../../../main/core/network/agent-record.js';

const agent = (over: Partial<RecordedAgent>): RecordedAgent => ({
  name: 'Ann',
  provider: null,
  account: null,
  skipPermissions: false,
  command: null,
  args: [],
  cwd: '/work',
  running: true,
  ...over,
});

describe('agents.json and each CLI’s resume option', () => {
  it('claude --continue, codex resume --last (a subcommand, first), gemini --resume latest; none for other commands', () => {
    expect(resumeArgs(agent({ provider: 'anthropic' }))).toEqual({ before: [], after: ['--continue'] });
    expect(resumeArgs(agent({ command: '/usr/local/bin/claude' }))).toEqual({ before: [], after: ['--continue'] });
    expect(resumeArgs(agent({ provider: 'openai' }))).toEqual({ before: ['resume', '--last'], after: [] });
    expect(resumeArgs(agent({ command: 'C:\\tools\\codex.exe' }))).toEqual({ before: ['resume', '--last'], after: [] });
    expect(resumeArgs(agent({ provider: 'google' }))).toEqual({ before: [], after: ['--resume', 'latest'] });
    expect(resumeArgs(agent({ command: 'bash' }))).toBeNull();
    expect(resumeArgs(agent({ provider: 'github-copilot' }))).toBeNull();
  });

  it('is written 0600, read back, and a damaged file reads as no team', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-record-'));
    try {
      writeAgentRecord(dir, [agent({ command: 'claude', args: ['--model', 'opus'] })]);
      expect(fs.statSync(path.join(dir, 'agents.json')).mode & 0o777).toBe(0o600);
      expect(readAgentRecord(dir)).toEqual([agent({ command: 'claude', args: ['--model', 'opus'] })]);
      fs.writeFileSync(path.join(dir, 'agents.json'), '{ not json');
      expect(readAgentRecord(dir)).toEqual([]);
      fs.writeFileSync(path.join(dir, 'agents.json'), JSON.stringify({ agents: [{ name: 'x' }, agent({ command: 'codex' })] }));
      expect(readAgentRecord(dir).map((a) => a.command)).toEqual(['codex']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
