import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { AccountError, Accounts } from './accounts/accounts.js';
import { resolveDataDir, resolveDatabaseUrl } from './cli/data-dir.js';
import { promptNewPassword, readPasswordFromStdin } from './cli/password-input.js';
import { openDatabase } from './database/connection.js';
import { ServeError, startServer } from './server.js';
import { VERSION } from './version.js';

/** Exit codes: 0 done, 1 failed, 2 usage or configuration error. */
class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

interface DatabaseFlags {
  dataDir?: string;
  databaseUrl?: string;
}

function integer(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return n;
  };
}

function withDatabaseOptions(command: Command): Command {
  return command
    .option('--data-dir <dir>', 'where the SQLite database lives (env AGENT_RELAY_CLOUD_DATA_DIR)')
    .option('--database-url <url>', 'postgres://… to use PostgreSQL instead of SQLite (env DATABASE_URL)');
}

async function withAccounts<T>(flags: DatabaseFlags, run: (accounts: Accounts) => Promise<T>): Promise<T> {
  const database = await openDatabase({ dataDir: resolveDataDir(flags.dataDir), databaseUrl: resolveDatabaseUrl(flags.databaseUrl) });
  try {
    return await run(new Accounts(database.db));
  } finally {
    await database.close();
  }
}

function accountError(error: unknown): never {
  if (error instanceof AccountError) throw new CliError(error.message, error.code === 'not_found' || error.code === 'exists' ? 1 : 2);
  throw error;
}

export function buildProgram(): Command {
  const program = new Command('agent-relay-cloud')
    .description('The self-hostable sync server for Agent Relay: end-to-end encrypted vaults, devices and refresh leases.')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError();

  withDatabaseOptions(program.command('serve'))
    .description('run the sync server (applies database migrations first)')
    .addOption(new Option('--port <n>', 'port to listen on (0 = any free port)').argParser(integer(0, 65535)).default(8787))
    .option('--host <host>', 'address to bind; plain HTTP only on loopback unless --allow-insecure-http', '127.0.0.1')
    .option('--issuer <url>', 'trust this external OpenID Connect issuer instead of the built-in one')
    .option('--audience <aud>', "with --issuer: the audience the issuer's access tokens must carry")
    .option('--client-id <id>', 'the client id the desktop app uses at the issuer (advertised by /api/v1/info)')
    .option('--public-url <url>', 'the URL users reach this server at, e.g. https://sync.example.com behind a TLS proxy')
    .option('--trust-proxy', 'trust X-Forwarded-Proto/Host/For from the proxy in front')
    .option('--tls-cert <file>', 'serve HTTPS with this certificate (PEM)')
    .option('--tls-key <file>', 'and this private key (PEM)')
    .option('--allow-insecure-http', 'allow plain HTTP on a non-loopback address')
    .addOption(new Option('--access-token-ttl <seconds>', 'lifetime of access tokens from the built-in issuer').argParser(integer(1, 86400)).default(3600))
    .addOption(new Option('--rate-limit <n>', 'API requests per user per minute').argParser(integer(1, 1_000_000)).default(300))
    .option('--json', 'print JSON-line events (the first is {"event":"listening",…})')
    .action(async (flags: DatabaseFlags & { port: number; host: string; issuer?: string; audience?: string; clientId?: string; publicUrl?: string; trustProxy?: boolean; tlsCert?: string; tlsKey?: string; allowInsecureHttp?: boolean; accessTokenTtl: number; rateLimit: number; json?: boolean }) => {
      // Signal handlers go in before the listening line: a supervisor may send SIGTERM right after it.
      let stopSignal: string | undefined;
      let onStop: ((signal: string) => void) | undefined;
      const onInt = () => requestStop('SIGINT');
      const onTerm = () => requestStop('SIGTERM');
      const requestStop = (signal: string) => {
        process.off('SIGINT', onInt);
        process.off('SIGTERM', onTerm);
        stopSignal = signal;
        onStop?.(signal);
      };
      process.on('SIGINT', onInt);
      process.on('SIGTERM', onTerm);
      let running;
      try {
        running = await startServer({
          port: flags.port,
          host: flags.host,
          dataDir: resolveDataDir(flags.dataDir),
          databaseUrl: resolveDatabaseUrl(flags.databaseUrl),
          issuer: flags.issuer,
          audience: flags.audience,
          clientId: flags.clientId,
          publicUrl: flags.publicUrl,
          trustProxy: flags.trustProxy,
          tlsCert: flags.tlsCert,
          tlsKey: flags.tlsKey,
          allowInsecureHttp: flags.allowInsecureHttp,
          accessTokenTtl: flags.accessTokenTtl,
          rateLimitPerMinute: flags.rateLimit,
        });
      } catch (error) {
        if (error instanceof ServeError) throw new CliError(error.message, 2);
        throw error;
      }
      const server = running;
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ event: 'listening', url: server.url, port: server.port, issuer: server.issuer, database: server.database.kind })}\n`);
      } else {
        process.stdout.write(`Agent Relay Cloud ${VERSION} listening on ${server.url}\n  issuer:   ${server.issuer}\n  database: ${server.database.kind} (${server.database.location})\n`);
      }
      const signal = await new Promise<string>((resolve) => {
        if (stopSignal) resolve(stopSignal);
        else onStop = resolve;
      });
      if (flags.json) process.stdout.write(`${JSON.stringify({ event: 'stopping', signal })}\n`);
      await server.close();
      if (flags.json) process.stdout.write(`${JSON.stringify({ event: 'stopped' })}\n`);
    });

  const users = program.command('users').description('manage the built-in issuer\'s local accounts');

  withDatabaseOptions(users.command('add <email>'))
    .description('create an account (asks for the password twice on a terminal)')
    .option('--password-stdin', 'read the password from standard input')
    .option('--json', 'print the account as JSON')
    .action(async (email: string, flags: DatabaseFlags & { passwordStdin?: boolean; json?: boolean }) => {
      let password: string;
      if (flags.passwordStdin) password = await readPasswordFromStdin();
      else if (process.stdin.isTTY) {
        try {
          password = await promptNewPassword();
        } catch (error) {
          throw new CliError(error instanceof Error ? error.message : String(error), 2);
        }
      } else throw new CliError('No terminal to ask for the password: pipe it in with --password-stdin.', 2);
      const account = await withAccounts(flags, (accounts) => accounts.add(email, password)).catch(accountError);
      process.stdout.write(flags.json ? `${JSON.stringify(account)}\n` : `Added ${account.email}.\n`);
    });

  withDatabaseOptions(users.command('list'))
    .description('list the accounts')
    .option('--json', 'print JSON')
    .action(async (flags: DatabaseFlags & { json?: boolean }) => {
      const list = await withAccounts(flags, (accounts) => accounts.list());
      if (flags.json) process.stdout.write(`${JSON.stringify({ users: list })}\n`);
      else if (list.length === 0) process.stdout.write('No accounts yet. Add one with: agent-relay-cloud users add EMAIL\n');
      else for (const a of list) process.stdout.write(`${a.email}\t${a.createdAt}\n`);
    });

  withDatabaseOptions(users.command('remove <email>'))
    .description('remove an account with its sign-ins and all of its sync data')
    .action(async (email: string, flags: DatabaseFlags) => {
      const account = await withAccounts(flags, (accounts) => accounts.remove(email)).catch(accountError);
      process.stdout.write(`Removed ${account.email} and its data.\n`);
    });

  return program;
}

export async function main(argv: ReadonlyArray<string>): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      return 2;
    }
    if (error instanceof CliError) {
      process.stderr.write(`agent-relay-cloud: ${error.message}\n`);
      return error.exitCode;
    }
    const code = (error as { code?: string }).code;
    process.stderr.write(`agent-relay-cloud: ${error instanceof Error ? error.message : String(error)}${code && !String(error).includes(code) ? ` (${code})` : ''}\n`);
    return code === 'bad_database_url' || code === 'insecure_http' ? 2 : 1;
  }
}

const exitCode = await main(process.argv.slice(2));
process.exitCode = exitCode;
// Connection pools and timers are closed; exit now in case a library left a handle open.
setImmediate(() => process.exit(exitCode));
