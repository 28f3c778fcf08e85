import { describe, expect, it } from 'vitest';
import { isInteractiveShell, programName, readForegroundProgram } from '../../../main/core/agents/foreground-program.js';

const fg = (...argv: string[]) => ({ argv, source: 'proc' as const });

describe('which foreground programs are a plain shell prompt', () => {
  it('names programs as a user would', () => {
    expect(programName('/usr/bin/bash')).toBe('bash');
    expect(programName('-zsh')).toBe('zsh');
    expect(programName('C:\\Program Files\\PowerShell\\7\\pwsh.EXE')).toBe('pwsh');
    expect(programName('C:\\Windows\\system32\\cmd.exe')).toBe('cmd');
  });

  it('counts interactive shells of every family', () => {
    for (const argv of [['bash'], ['/bin/sh'], ['-zsh'], ['fish'], ['dash'], ['bash', '--norc', '--noprofile'], ['bash', '-l'], ['bash', '--rcfile', 'x.rc'], ['zsh', '-i', '-c', 'x'], ['pwsh', '-NoLogo'], ['powershell.exe'], ['pwsh', '-NoExit', '-Command', 'x'], ['cmd.exe'], ['cmd', '/k', 'echo hi']]) {
      expect(isInteractiveShell(fg(...argv)), argv.join(' ')).toBe(true);
    }
  });

  it('does not count agents, scripts or one-off commands', () => {
    for (const argv of [['node', 'bob.mjs'], ['claude'], ['codex'], ['python3'], ['bash', 'run.sh'], ['bash', '-c', 'claude'], ['sh', '-lc', 'x'], ['pwsh', '-File', 'a.ps1'], ['cmd', '/c', 'x.bat'], ['bash', '-o', 'vi', 'script.sh'], []]) {
      expect(isInteractiveShell(fg(...argv)), argv.join(' ')).toBe(false);
    }
  });

  it('falls back to node-pty’s name, then the spawn command, where /proc is not there', () => {
    const source = { pid: 1, ptyProcess: () => 'bash', command: '/bin/bash', args: ['script.sh'] };
    expect(readForegroundProgram(source, 'darwin')).toEqual({ argv: ['bash', 'script.sh'], source: 'pty' });
    expect(readForegroundProgram({ ...source, ptyProcess: () => 'claude' }, 'darwin')).toEqual({ argv: ['claude'], source: 'pty' });
    expect(readForegroundProgram({ ...source, args: [] }, 'win32')).toEqual({ argv: ['/bin/bash'], source: 'spawn' });
  });
});
