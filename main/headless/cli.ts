import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { DATA_DIR_ENV, resolveDataDir } from '../core/base/data-dir.js';
import { APP_VERSION } from '../core/base/version.js';
import type { CliContext } from './cli-context.js';
import { watchForClosedPipe } from './closed-pipe.js';
import { killAgent, listAgents, printScreen, readMessage, removeAgent, restartAgent, sendMessage, showHistory, spawnAgent } from './commands/agents.js';
import { connectProvider, disconnectProvider, listProviders } from './commands/providers.js';
import { status } from './commands/status.js';
import { syncAction, syncLogin, syncOn } from './commands/sync.js';
import { up } from './commands/up.js';
import { down } from './commands/down.js';
import { searchAgents } from './commands/search.js';
import { DEFAULT_PORT } from './host.js';

/** Exit statuses: 0 done, 1 the command failed, 2 the command line was wrong. */
export const EXIT_USAGE = 2;

function parseLimit(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 500) throw new InvalidArgumentError('expected a number from 1 to 500.');
  return Number(value);
}

function parseMessageId(value: string): string {
  if (!/^[0-9a-z]{12}$/.test(value)) throw new InvalidArgumentError('expected a message id (12 letters and digits, as history and send print it).');
  return value;
}

function parseContext(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 10) throw new InvalidArgumentError('expected a number from 0 to 10.');
  return Number(value);
}

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

let stdio: Io | undefined;
/** The process's own stdout and stderr, each quiet once its reader has gone (closed-pipe.ts). */
function processIo(): Io {
  if (!stdio) {
    const outClosed = watchForClosedPipe(process.stdout);
    const errClosed = watchForClosedPipe(process.stderr);
    stdio = {
      out: (line) => {
        if (!outClosed() && !process.stdout.destroyed) process.stdout.write(`${line}\n`);
      },
      err: (line) => {
        if (!errClosed() && !process.stderr.destroyed) process.stderr.write(`${line}\n`);
      },
    };
  }
  return stdio;
}

export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('agent-relay-desktop');
  const context = (command: Command): CliContext => {
    const { dataDir, providersConfig } = command.optsWithGlobals<{ dataDir?: string; providersConfig?: string }>();
    return { dataDir: resolveDataDir(dataDir), ...(providersConfig ? { providersConfig } : {}), out: io.out, err: io.err };
  };

  program
    .description('Agent Relay: log your AI coding agents in, run them side by side, let them talk.')
    .version(APP_VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .addOption(new Option('--data-dir <dir>', `where Agent Relay keeps its data (also ${DATA_DIR_ENV})`))
    .addOption(new Option('--providers-config <file>', 'providers.json with provider overrides and custom providers (default: in the data dir)'))
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
    .option('--stop-agents', 'on Ctrl+C/SIGTERM stop the agents too (by default they keep running, and the next `up` reattaches)')
    .action(async (options: { port?: number; host: string; open: boolean; json?: boolean; token?: string; stopAgents?: boolean }, command: Command) => {
      setExit(await up(context(command), { ...options, json: Boolean(options.json), stopAgents: Boolean(options.stopAgents) }));
    });

  program
    .command('down')
    .description('stop everything for this data dir: the app or `up`, the terminal host and every agent')
    .option('--json', 'print one JSON object')
    .action(async (options: { json?: boolean }, command: Command) => {
      setExit(await down(context(command), { json: Boolean(options.json) }));
    });

  program
    .command('search')
    .description("find text in every agent's scrollback: hits by agent, with the lines around them")
    .argument('<text>', 'what to find (a regular expression with --regex)')
    .option('--agent <name>', "only this agent's scrollback")
    .option('--regex', 'text is a JavaScript regular expression')
    .option('--case-sensitive', 'match case (default: ignore it)')
    .addOption(new Option('--context <n>', 'lines before and after each hit (default 2)').argParser(parseContext))
    .option('--json', 'print JSON')
    .action(async (text: string, options: { agent?: string; regex?: boolean; caseSensitive?: boolean; context?: number; json?: boolean }, command: Command) => {
      setExit(await searchAgents(context(command), text, { ...options, json: Boolean(options.json) }));
    });

  program
    .command('status')
    .description('tell whether Agent Relay is running for this data dir, and where')
    .option('--json', 'print one JSON object')
    .action(async (options: { json?: boolean }, command: Command) => {
      setExit(await status(context(command), { json: Boolean(options.json) }));
    });

  program
    .command('providers')
    .description('list providers with their state, accounts and sign-in method')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const ctx = context(command);
      setExit(await listProviders(ctx, { json: Boolean(options.json), ...(ctx.providersConfig ? { providersConfig: ctx.providersConfig } : {}) }));
    });

  program
    .command('connect')
    .description("sign in to a provider (its own CLI signs in for Claude and Gemini; browser, device code, pasted code, or import of a local CLI login)")
    .argument('<provider>', 'provider id, e.g. anthropic, openai, google, github-copilot')
    .addOption(
      new Option('--method <method>', 'how to sign in (cli: the provider’s own CLI signs in; cli-console: Claude Console billing; cli-token: claude setup-token)').choices([
        'cli',
        'cli-console',
        'cli-token',
        'browser',
        'device',
        'paste',
        'import',
      ]),
    )
    .option('--account <name>', 'a name for this account (default: its email)')
    .option('--no-open', 'do not open a browser; print the address')
    .option('--json', 'one JSON event per line: open-url, device-code, need-code, connected, error')
    .action(async (providerId: string, options: { method?: 'cli' | 'cli-console' | 'cli-token' | 'browser' | 'device' | 'paste' | 'import'; account?: string; open: boolean; json?: boolean }, command: Command) => {
      const ctx = context(command);
      setExit(
        await connectProvider(ctx, providerId, {
          ...options,
          json: Boolean(options.json),
          ...(ctx.providersConfig ? { providersConfig: ctx.providersConfig } : {}),
        }),
      );
    });

  program
    .command('disconnect')
    .description('remove an account (its token is revoked where the provider allows)')
    .argument('<provider>')
    .option('--account <name>', 'which account (default: the default one)')
    .action(async (providerId: string, options: { account?: string }, command: Command) => {
      const ctx = context(command);
      setExit(await disconnectProvider(ctx, providerId, { ...options, ...(ctx.providersConfig ? { providersConfig: ctx.providersConfig } : {}) }));
    });

  program
    .command('spawn')
    .description('start an agent in the running app: spawn --name NAME (--provider P [--account A] [--arg ARG]… | -- COMMAND [ARGS…])')
    .requiredOption('--name <name>', 'the agent\'s name: 1–32 letters, digits, - or _')
    .option('--provider <id>', "run that provider's CLI, signed in (anthropic, openai, google, github-copilot, …)")
    .option('--account <name>', "which of the provider's accounts (default: its default one)")
    .option('--arg <arg>', "an argument appended to the provider CLI's command (repeatable)", (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--skip-permissions', "let the agent act without asking (the provider's own flag, e.g. --dangerously-skip-permissions)")
    .option('--cwd <dir>', 'working folder (default: the current folder)')
    .option('--task <text>', 'first message, delivered when the agent is ready')
    .option('--accept-relay', 'inject relay messages even while a plain shell is its foreground program (they would run as commands)')
    .option('--json', 'print the agent as JSON')
    .argument('[command...]', 'the command line to run, after --')
    .action(
      async (
        commandLine: string[],
        options: { name: string; provider?: string; account?: string; arg: string[]; skipPermissions?: boolean; cwd?: string; task?: string; acceptRelay?: boolean; json?: boolean },
        command: Command,
      ) => {
        setExit(
          await spawnAgent(context(command), commandLine, {
            ...options,
            skipPermissions: Boolean(options.skipPermissions),
            acceptRelay: Boolean(options.acceptRelay),
            json: Boolean(options.json),
          }),
        );
      },
    );

  program
    .command('agents')
    .description('list agents: name, status, pid, provider, folder')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      setExit(await listAgents(context(command), { json: Boolean(options.json) }));
    });

  program
    .command('kill')
    .description('stop an agent (SIGTERM, then SIGKILL after a grace period)')
    .argument('<name>')
    .action(async (name: string, _options: unknown, command: Command) => {
      setExit(await killAgent(context(command), name));
    });

  program
    .command('restart')
    .description('restart an agent with the command it was started with (messages waiting for it arrive once it is back)')
    .argument('<name>')
    .option('--json', 'print the agent as JSON')
    .action(async (name: string, options: { json?: boolean }, command: Command) => {
      setExit(await restartAgent(context(command), name, { json: Boolean(options.json) }));
    });

  program
    .command('remove')
    .alias('rm')
    .description('remove an exited agent; messages still waiting for it fail')
    .argument('<name>')
    .option('--force', 'stop it first if it is still running')
    .action(async (name: string, options: { force?: boolean }, command: Command) => {
      setExit(await removeAgent(context(command), name, { force: Boolean(options.force) }));
    });

  program
    .command('screen')
    .description("print an agent's current screen as plain text")
    .argument('<name>')
    .action(async (name: string, _options: unknown, command: Command) => {
      setExit(await printScreen(context(command), name));
    });

  program
    .command('send')
    .description('send a message as the human to an agent, or to all with *')
    .argument('<to>', 'agent name, or * for all')
    .argument('<message...>')
    .option('--json', 'print the message as JSON')
    .action(async (to: string, words: string[], options: { json?: boolean }, command: Command) => {
      setExit(await sendMessage(context(command), to, words, { json: Boolean(options.json) }));
    });

  program
    .command('read')
    .description('print one message in full')
    .argument('<id>')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      setExit(await readMessage(context(command), id, { json: Boolean(options.json) }));
    });

  program
    .command('history')
    .description('list relay messages, oldest first')
    .option('--agent <name>', 'only messages from or to this agent')
    .addOption(new Option('--limit <n>', 'how many of the newest (default 50)').argParser(parseLimit))
    .addOption(new Option('--before <id>', 'only messages older than this message id (page back; the id to use is printed on stderr)').argParser(parseMessageId))
    .option('--json', 'print JSON (newest first)')
    .action(async (options: { json?: boolean; agent?: string; limit?: number; before?: string }, command: Command) => {
      setExit(await showHistory(context(command), { ...options, json: Boolean(options.json) }));
    });

  const sync = program.command('sync').description('cloud sync: your provider logins on every device, end-to-end encrypted');
  sync
    .command('login')
    .description('sign in to a sync server with a device code')
    .requiredOption('--server <url>', 'the sync server, e.g. https://sync.example.com')
    .option('--allow-insecure-http', 'allow plain http to a server that is not on this machine')
    .option('--no-open', 'do not open a browser; print the address')
    .option('--json', 'one JSON event per line: device-code, connected, error')
    .action(async (options: { server: string; allowInsecureHttp?: boolean; open: boolean; json?: boolean }, command: Command) => {
      setExit(await syncLogin(context(command), { ...options, json: Boolean(options.json) }));
    });
  sync
    .command('on')
    .description('turn sync on: choose (first device) or enter the sync passphrase')
    .option('--passphrase-stdin', 'read the passphrase (or recovery code) from standard input')
    .option('--json', 'print the status (and the recovery code, first device only) as JSON')
    .action(async (options: { passphraseStdin?: boolean; json?: boolean }, command: Command) => {
      setExit(await syncOn(context(command), { passphraseStdin: Boolean(options.passphraseStdin), json: Boolean(options.json) }));
    });
  sync
    .command('off')
    .description('stop syncing; the logins on this device stay')
    .action(async (_options: unknown, command: Command) => {
      setExit(await syncAction(context(command), 'off'));
    });
  sync
    .command('now')
    .description('pull, merge and push now')
    .option('--json', 'print the status as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      setExit(await syncAction(context(command), 'now', { json: Boolean(options.json) }));
    });
  sync
    .command('status')
    .description('show the sync state, server, account and last sync')
    .option('--json', 'print the status as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      setExit(await syncAction(context(command), 'status', { json: Boolean(options.json) }));
    });
  sync
    .command('remove-server-data')
    .description('delete your encrypted data and devices from the sync server (asks for --yes)')
    .option('--yes', 'confirm')
    .action(async (options: { yes?: boolean }, command: Command) => {
      setExit(await syncAction(context(command), 'remove-server-data', { yes: Boolean(options.yes) }));
    });

  return program;
}

/** Runs the CLI and returns its exit status. */
export async function runCli(argv: readonly string[], io: Io = processIo()): Promise<number> {
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
    const code = (error as { code?: string }).code;
    io.err(`agent-relay-desktop: ${(error as Error).message}${code && code !== 'no_daemon' ? ` (${code})` : ''}`);
    return 1;
  }
  return exitCode;
}
