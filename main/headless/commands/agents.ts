import type { AgentInfo, RelayMessage } from '../../../preload/contract.js';
import type { NodeClient } from '../../core/transport/client.js';
import type { CliContext } from '../cli-context.js';
import { connectToDaemon } from '../daemon-connection.js';

/** Runs `body` against the running daemon and closes the connection after. */
async function withDaemon<T>(ctx: CliContext, body: (client: NodeClient) => Promise<T>): Promise<T> {
  const { client } = await connectToDaemon(ctx.dataDir);
  try {
    return await body(client);
  } finally {
    client.close();
  }
}

const ago = (ms: number): string => {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
};

function statusText(agent: AgentInfo): string {
  if (agent.status !== 'exited' || !agent.exit) return agent.status.replaceAll('_', ' ');
  return agent.exit.signalName ? `exited (${agent.exit.signalName})` : `exited (code ${agent.exit.exitCode})`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd());
}

export interface SpawnOptions {
  name: string;
  provider?: string;
  account?: string;
  arg: string[];
  skipPermissions: boolean;
  cwd?: string;
  task?: string;
  acceptRelay?: boolean;
  json: boolean;
}

export async function spawnAgent(ctx: CliContext, commandLine: string[], options: SpawnOptions): Promise<number> {
  const [command, ...args] = commandLine;
  if (Boolean(command) === Boolean(options.provider)) {
    ctx.err('Give either --provider P or a command after --, e.g. agent-relay-desktop spawn --name Alice --provider anthropic');
    return 2;
  }
  const runs = options.provider
    ? { provider: options.provider, ...(options.account ? { account: options.account } : {}), skipPermissions: options.skipPermissions, args: options.arg }
    : { command: command!, args };
  const agent = await withDaemon(ctx, (client) =>
    client.call('agents.spawn', {
      name: options.name,
      ...runs,
      cwd: options.cwd ?? process.cwd(),
      ...(options.task ? { task: options.task } : {}),
      ...(options.acceptRelay ? { acceptRelay: true } : {}),
    }),
  );
  if (options.json) ctx.out(JSON.stringify(agent));
  else {
    const who = agent.provider ? ` as ${agent.provider}${agent.account ? ` (${agent.account})` : ''}` : '';
    ctx.out(`Started ${agent.name}${who} (pid ${agent.pid}) in ${agent.cwd}: ${[agent.command, ...agent.args].join(' ')}`);
  }
  return 0;
}

export async function listAgents(ctx: CliContext, options: { json: boolean }): Promise<number> {
  const agents = await withDaemon(ctx, (client) => client.call('agents.list'));
  if (options.json) {
    ctx.out(JSON.stringify(agents));
    return 0;
  }
  if (agents.length === 0) {
    ctx.out('No agents. Start one with: agent-relay-desktop spawn --name NAME -- COMMAND');
    return 0;
  }
  const now = Date.now();
  const rows = [
    ['NAME', 'STATUS', 'PID', 'PROVIDER', 'UPTIME', 'CWD'],
    ...agents.map((a) => [
      a.name,
      statusText(a),
      a.pid === null ? '-' : String(a.pid),
      a.provider ? `${a.provider}${a.account ? `/${a.account}` : ''}` : '-',
      a.exit ? '-' : ago(now - a.startedAt),
      a.cwd,
    ]),
  ];
  for (const line of table(rows)) ctx.out(line);
  return 0;
}

export async function killAgent(ctx: CliContext, name: string): Promise<number> {
  const agent = await withDaemon(ctx, (client) => client.call('agents.kill', name));
  ctx.out(`${agent.name} ${statusText(agent)}.`);
  return 0;
}

export async function restartAgent(ctx: CliContext, name: string, options: { json: boolean }): Promise<number> {
  const agent = await withDaemon(ctx, (client) => client.call('agents.restart', name));
  if (options.json) ctx.out(JSON.stringify(agent));
  else ctx.out(`Restarted ${agent.name} (pid ${agent.pid}): ${[agent.command, ...agent.args].join(' ')}`);
  return 0;
}

/** Removes an exited agent (a running one only with --force); messages still queued for it fail. */
export async function removeAgent(ctx: CliContext, name: string, options: { force: boolean }): Promise<number> {
  return withDaemon(ctx, async (client) => {
    const agents = await client.call('agents.list');
    const agent = agents.find((a) => a.name.toLowerCase() === name.toLowerCase());
    if (agent && agent.status !== 'exited' && !options.force) {
      ctx.err(`${agent.name} is running (${statusText(agent)}); stop it first with: agent-relay-desktop kill ${agent.name}, or remove it anyway with --force.`);
      return 1;
    }
    const target = agent?.name ?? name;
    const queued = (await client.call('relay.history', { agent: target, limit: 500 })).items.filter((m) =>
      m.deliveries.some((d) => d.recipient.toLowerCase() === target.toLowerCase() && (d.status === 'queued' || d.status === 'delivering')),
    ).length;
    await client.call('agents.remove', target);
    ctx.out(`Removed ${target}.${queued ? ` ${queued} message${queued === 1 ? '' : 's'} waiting for it failed.` : ''}`);
    return 0;
  });
}

export async function printScreen(ctx: CliContext, name: string): Promise<number> {
  const lines = await withDaemon(ctx, (client) => client.call('terminal.screen', name));
  // Trailing blank rows are the unused part of the screen.
  let end = lines.length;
  while (end > 0 && lines[end - 1]!.trim() === '') end -= 1;
  for (const line of lines.slice(0, end)) ctx.out(line.trimEnd());
  return 0;
}

function messageLine(m: RelayMessage): string {
  const time = new Date(m.ts).toISOString().replace('T', ' ').slice(0, 19);
  const firstLine = m.body.split('\n')[0]!;
  const more = m.body.includes('\n') ? ' …' : '';
  return `${m.id}  ${time}  ${m.from} → ${m.to === '*' ? `* (${m.recipients.join(', ')})` : m.recipients.join(', ') || m.to}  [${m.status}]  ${firstLine}${more}`;
}

export async function sendMessage(ctx: CliContext, to: string, words: string[], options: { json: boolean }): Promise<number> {
  const body = words.join(' ');
  const message = await withDaemon(ctx, (client) => client.call('relay.send', { to, body }));
  if (options.json) ctx.out(JSON.stringify(message));
  else if (message.status === 'failed') {
    const failure = message.deliveries.find((d) => d.status === 'failed');
    ctx.err(`Not delivered (${message.id}): ${failure?.reason ?? 'failed'}`);
    return 1;
  } else {
    const sent = message.deliveries.filter((d) => d.status !== 'failed').map((d) => d.recipient);
    ctx.out(`Queued ${message.id} for ${sent.join(', ')}.`);
    // A broadcast that some recipients refused: say which and why.
    for (const d of message.deliveries) if (d.status === 'failed') ctx.err(`Not delivered to ${d.recipient}: ${d.reason ?? 'failed'}`);
  }
  return 0;
}

export async function readMessage(ctx: CliContext, id: string, options: { json: boolean }): Promise<number> {
  const message = await withDaemon(ctx, (client) => client.call('relay.read', id));
  if (options.json) {
    ctx.out(JSON.stringify(message));
    return 0;
  }
  ctx.out(`Message ${message.id} from ${message.from} to ${message.to} at ${new Date(message.ts).toISOString()}`);
  for (const d of message.deliveries) {
    const when = new Date(d.at).toISOString().replace('T', ' ').slice(0, 19);
    ctx.out(`  ${d.recipient}: ${d.status.replace('unacknowledged', 'not acknowledged')} at ${when}${d.reason ? ` (${d.reason})` : ''}`);
  }
  ctx.out('');
  ctx.out(message.body);
  return 0;
}

export async function showHistory(ctx: CliContext, options: { json: boolean; agent?: string; limit?: number; before?: string }): Promise<number> {
  const page = await withDaemon(ctx, (client) =>
    client.call('relay.history', {
      ...(options.agent ? { agent: options.agent } : {}),
      ...(options.before ? { before: options.before } : {}),
      limit: options.limit ?? 50,
    }),
  );
  if (options.json) {
    ctx.out(JSON.stringify(page.items));
    return 0;
  }
  if (page.items.length === 0) ctx.out(options.before ? `No messages before ${options.before}.` : 'No messages yet.');
  // Oldest first reads like a conversation.
  for (const message of [...page.items].reverse()) ctx.out(messageLine(message));
  // The way to older messages, on stderr so a pipe gets only messages.
  if (page.nextCursor) ctx.err(`Older messages: agent-relay-desktop history --before ${page.nextCursor}${options.agent ? ` --agent ${options.agent}` : ''}`);
  return 0;
}
