import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeAgentSpec } from '../../../main/core/agents/agent-spec.js';

describe('normalizeAgentSpec', () => {
  it('fills in defaults', () => {
    const result = normalizeAgentSpec({ name: 'Alice_1', command: 'claude' }, '/work');
    expect(result).toEqual({
      ok: true,
      value: { name: 'Alice_1', command: 'claude', args: [], cwd: '/work', env: {}, cols: 120, rows: 32, scrollback: 10_000, provider: undefined },
    });
  });

  it.each(['', 'has space', 'a'.repeat(33), 'dot.name', 'ünï'])('refuses the name %j', (name) => {
    const result = normalizeAgentSpec({ name, command: 'x' });
    expect(!result.ok && result.error.code).toBe('invalid_agent_spec');
    expect(!result.ok && result.error.message).toContain('letters, digits');
  });

  it('reads ~ in the working folder as the home folder, as a shell does', () => {
    const home = os.homedir();
    const cwd = (folder: string) => {
      const result = normalizeAgentSpec({ name: 'A', command: 'x', cwd: folder }, '/work');
      return result.ok ? result.value.cwd : undefined;
    };
    expect(cwd('~')).toBe(home);
    expect(cwd('~/src/shop')).toBe(path.join(home, 'src/shop'));
    expect(cwd('src/~x')).toBe('/work/src/~x');
  });

  it('accepts 32 characters of letters, digits, - and _', () => {
    expect(normalizeAgentSpec({ name: `a-_9${'b'.repeat(28)}`, command: 'x' }).ok).toBe(true);
  });

  it('refuses bad sizes, scrollback and environment', () => {
    expect(normalizeAgentSpec({ name: 'a', command: 'x', cols: 0 })).toMatchObject({ ok: false, error: { code: 'invalid_size' } });
    expect(normalizeAgentSpec({ name: 'a', command: 'x', rows: 1.5 })).toMatchObject({ ok: false, error: { code: 'invalid_size' } });
    expect(normalizeAgentSpec({ name: 'a', command: 'x', scrollback: -1 })).toMatchObject({ ok: false, error: { code: 'invalid_agent_spec' } });
    expect(normalizeAgentSpec({ name: 'a', command: 'x', env: { 'A=B': '1' } })).toMatchObject({ ok: false, error: { code: 'invalid_agent_spec' } });
    expect(normalizeAgentSpec({ name: 'a', command: '  ' })).toMatchObject({ ok: false, error: { code: 'invalid_agent_spec' } });
  });
});
