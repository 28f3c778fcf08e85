import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { DATA_DIR_ENV, resolveDataDir } from '../core/data-dir.js';
import { APP_VERSION } from '../core/version.js';
import type { CliContext } from './cli-context.js';
import { status } from './commands/status.js';
import { up } from './commands/up.js';
import { DEFAULT_PORT } from './host.js';

/** Exit statuses: 0 done, 1 the command failed, 2 the command line was wrong. */
export const EXIT_USAGE = 2;

function parsePort(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) {
    throw new InvalidArgumentError('expected a port number from 0 to 65535 (0 = any free port).');
  }
  return Number(value);
}

interface Io {
  out(line: string): void;
  err(line: string): void;
}

const stdio: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('agent-relay-desktop');
  const context = (command: Command): CliContext => {
    const { dataDir } = command.optsWithGlobals<{ dataDir?: string }>();
    return { dataDir: resolveDataDir(dataDir), out: io.out, err: io.err };
  };

  program
    .description('Agent Relay: log your AI coding agents in, run them side by side, let them talk.')
    .version(APP_VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .addOption(new Option('--data-dir <dir>', `where Agent Relay keeps its data (also ${DATA_DIR_ENV})`))
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError('(run agent-relay-desktop --help for usage)')
    .exitOverride();

  program
    .command('up')
    .description('run the daemon headless and serve the dashboard on this machine')
    .addOption(new Option('--port <n>', `port to listen on; 0 = any free port (default ${DEFAULT_PORT}, or a free one if taken)`).argParser(parsePort))
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--no-open', 'do not open a browser')
    .option('--json', 'print machine-readable JSON lines on stdout')
    .addOption(new Option('--token <token>', 'use this dashboard token instead of a random one (also AGENT_RELAY_TOKEN)').hideHelp())
    .action(async (options: { port?: number; host: string; open: boolean; json?: boolean; token?: string }, command: Command) => {
      setExit(await up(context(command), { ...options, json: Boolean(options.json) }));
    });

  program
    .command('status')
    .description('tell whether Agent Relay is running for this data dir, and where')
    .option('--json', 'print one JSON object')
    .action(async (options: { json?: boolean }, command: Command) => {
      setExit(await status(context(command), { json: Boolean(options.json) }));
    });

  return program;
}

/** Runs the CLI and returns its exit status. */
export async function runCli(argv: readonly string[], io: Io = stdio): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return EXIT_USAGE;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      return EXIT_USAGE;
    }
    io.err(`agent-relay-desktop: ${(error as Error).message}`);
    return 1;
  }
  return exitCode;
}
