import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveCommand } from '../../../main/core/agents/command-resolver.js';

describe('resolveCommand', () => {
  it('finds an executable on the given PATH', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resolve-'));
    const exe = path.join(dir, 'my-agent');
    fs.writeFileSync(exe, '#!/bin/sh\n', { mode: 0o755 });
    const result = resolveCommand('my-agent', { cwd: '/', pathEnv: `/nonexistent:${dir}` });
    expect(result).toEqual({ ok: true, value: exe });
  });

  it('skips files that are not executable', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resolve-'));
    fs.writeFileSync(path.join(dir, 'plain'), 'text', { mode: 0o644 });
    const result = resolveCommand('plain', { cwd: '/', pathEnv: dir });
    expect(result.ok).toBe(false);
  });

  it('names the command, the folders searched and how to install a known CLI', () => {
    const result = resolveCommand('claude', { cwd: '/', pathEnv: '/opt/a/bin:/opt/b/bin' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('command_not_found');
    expect(result.error.message).toBe(
      'Command "claude" was not found on PATH. Looked in: /opt/a/bin, /opt/b/bin. Install it with: npm install -g @anthropic-ai/claude-code',
    );
    expect(result.error.details).toMatchObject({ command: 'claude', searched: ['/opt/a/bin', '/opt/b/bin'] });
  });

  it('takes install hints from the caller and gives none for unknown commands', () => {
    const custom = resolveCommand('mytool', { cwd: '/', pathEnv: '/x', installHints: { mytool: 'brew install mytool' } });
    expect(!custom.ok && custom.error.message).toContain('Install it with: brew install mytool');
    const unknown = resolveCommand('nothing-here', { cwd: '/', pathEnv: '/x' });
    expect(!unknown.ok && unknown.error.message).toBe('Command "nothing-here" was not found on PATH. Looked in: /x.');
  });

  it('resolves a path with a slash against the working folder', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resolve-'));
    fs.writeFileSync(path.join(dir, 'run.sh'), '#!/bin/sh\n', { mode: 0o755 });
    expect(resolveCommand('./run.sh', { cwd: dir, pathEnv: '' })).toEqual({ ok: true, value: path.join(dir, 'run.sh') });
    const missing = resolveCommand('./gone.sh', { cwd: dir, pathEnv: '' });
    expect(!missing.ok && missing.error.code).toBe('command_not_found');
  });
});
