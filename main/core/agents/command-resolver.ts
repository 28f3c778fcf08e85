import fs from 'node:fs';
import path from 'node:path';
import { AgentError, fail, ok, type Result } from './agent-errors.js';

/** How to install the CLIs people most often run as agents, shown when one is missing. */
export const DEFAULT_INSTALL_HINTS: Readonly<Record<string, string>> = {
  claude: 'npm install -g @anthropic-ai/claude-code',
  codex: 'npm install -g @openai/codex',
  gemini: 'npm install -g @google/gemini-cli',
  copilot: 'npm install -g @github/copilot',
};

export interface ResolveOptions {
  readonly cwd: string;
  /** The PATH the agent will get; the daemon's own PATH when omitted. */
  readonly pathEnv?: string | undefined;
  readonly installHints?: Readonly<Record<string, string>>;
  readonly platform?: NodeJS.Platform;
  readonly pathExt?: string | undefined;
}

function isExecutableFile(file: string, platform: NodeJS.Platform): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    if (platform === 'win32') return true;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds the executable a command names, the way a shell would, so a missing CLI is reported with
 * the folders searched and how to install it instead of as a pty that exits 1.
 */
export function resolveCommand(command: string, options: ResolveOptions): Result<string> {
  const platform = options.platform ?? process.platform;
  const hints = options.installHints ?? DEFAULT_INSTALL_HINTS;
  const extensions =
    platform === 'win32' ? ['', ...(options.pathExt ?? process.env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean)] : [''];
  const delimiter = platform === 'win32' ? ';' : ':';

  if (command.trim() === '') {
    return fail(new AgentError('command_not_found', 'No command was given to run.', { command, searched: [] }));
  }

  const hasSeparator = command.includes('/') || (platform === 'win32' && command.includes('\\'));
  if (hasSeparator) {
    const absolute = path.resolve(options.cwd, command);
    for (const ext of extensions) if (isExecutableFile(absolute + ext, platform)) return ok(absolute + ext);
    return fail(
      new AgentError('command_not_found', `Command "${command}" was not found or is not executable (looked for ${absolute}).`, {
        command,
        searched: [path.dirname(absolute)],
      }),
    );
  }

  const searched = (options.pathEnv ?? process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== '');
  for (const dir of searched) {
    for (const ext of extensions) {
      const candidate = path.join(path.resolve(options.cwd, dir), command + ext);
      if (isExecutableFile(candidate, platform)) return ok(candidate);
    }
  }
  const hint = hints[command];
  const where = searched.length ? searched.join(delimiter === ':' ? ', ' : '; ') : '(PATH is empty)';
  return fail(
    new AgentError(
      'command_not_found',
      `Command "${command}" was not found on PATH. Looked in: ${where}.${hint ? ` Install it with: ${hint}` : ''}`,
      { command, searched, ...(hint ? { installHint: hint } : {}) },
    ),
  );
}
