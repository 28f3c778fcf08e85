/**
 * The bridge contract: every method and event the UI may use.
 *
 * This file is the one source of the API. The daemon validates every call against these schemas
 * (main/core/bridge/dispatcher.ts), both transports are generated from `methods` and `events`,
 * and the renderer imports it only as `import type`. Adding a method is one entry here and one
 * handler in main/core/service.ts.
 *
 * Secrets never appear in a schema here: the UI sees names, states, times and booleans.
 */
import { z } from 'zod';
import { AccountView, ProvidersState, SignInMethod, SignInProgress, VaultStatus } from './contract-providers.js';

export const HostKind = z.enum(['electron', 'headless']);
export type HostKind = z.infer<typeof HostKind>;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  host: HostKind,
  platform: z.string(),
  dataDir: z.string(),
  /** Problems the user should know about, such as a settings file that had to be set aside. */
  notices: z.array(z.string()),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const Theme = z.enum(['system', 'light', 'dark']);
export type Theme = z.infer<typeof Theme>;

/** A whole number in a range, refused with a sentence a person reads ("Font size must be between 8 and 32"). */
const rangeOf = (what: string, min: number, max: number, unit = '') => {
  const message = `${what} must be between ${min.toLocaleString('en-US')} and ${max.toLocaleString('en-US')}${unit}`;
  return z.number().int({ message: `${what} must be a whole number` }).min(min, { message }).max(max, { message });
};

export const Settings = z.object({
  theme: Theme,
  terminalFontFamily: z.string().min(1, { message: 'Font family must have at least 1 character, such as Menlo' }).max(200, { message: 'Font family must be at most 200 characters' }),
  terminalFontSize: rangeOf('Font size', 8, 32),
  scrollbackLines: rangeOf('Scrollback', 100, 100_000, ' lines'),
  notifications: z.boolean(),
  /**
   * When an agent hits its account's usage limit, restart it on another account of the same provider
   * with the CLI's resume option, without asking (it is still said on the agent and the card).
   */
  continueOnOtherAccount: z.boolean(),
  /** What quitting the tray app does with running agents: ask, stop them, or keep them running in the background. */
  agentsOnQuit: z.enum(['ask', 'stop', 'keep']),
});
export type Settings = z.infer<typeof Settings>;

/** A partial update; unknown keys are refused so a typo never silently does nothing. */
export const SettingsPatch = Settings.partial().strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export const DEFAULT_SETTINGS: Settings = {
  theme: 'system',
  terminalFontFamily: 'Menlo, "DejaVu Sans Mono", Consolas, monospace',
  terminalFontSize: 13,
  scrollbackLines: 10_000,
  notifications: true,
  continueOnOtherAccount: false,
  agentsOnQuit: 'ask',
};

// ── Desktop integration ──────────────────────────────────────────────────────────────────────────

export const LoginItemState = z.object({
  supported: z.boolean(),
  openAtLogin: z.boolean(),
  /** Why it is unsupported, or a step the user must take (macOS: approve in System Settings). */
  detail: z.string().optional(),
});
export type LoginItemState = z.infer<typeof LoginItemState>;

export const UpdateOutcome = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('disabled'), reason: z.string() }),
  z.object({ kind: z.literal('up-to-date'), version: z.string() }),
  z.object({ kind: z.literal('downloading'), version: z.string() }),
  z.object({ kind: z.literal('ready'), version: z.string() }),
  z.object({ kind: z.literal('error'), code: z.literal('update_check_failed'), message: z.string() }),
]);
export type UpdateOutcome = z.infer<typeof UpdateOutcome>;

// ── Providers ────────────────────────────────────────────────────────────────────────────────────
// What the UI sees of providers, accounts and sign-ins: contract-providers.ts.
export * from './contract-providers.js';

const ProviderId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a provider id such as anthropic');
const AccountLabel = z.string().min(1).max(80);

// ── Agents and terminals ─────────────────────────────────────────────────────────────────────────

export const AgentName = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'use 1–32 letters, digits, "-" or "_"');

export const AgentStatus = z.enum(['starting', 'working', 'idle', 'waiting_for_input', 'exited']);
export type AgentStatus = z.infer<typeof AgentStatus>;

export const AgentExit = z.object({
  exitCode: z.number().int(),
  signal: z.number().int().nullable(),
  signalName: z.string().nullable(),
  at: z.number(),
});
export type AgentExit = z.infer<typeof AgentExit>;

export const AgentInfo = z.object({
  /** This agent for good: kept over restarts, never reused. Relay messages are addressed to it. */
  id: z.string(),
  name: z.string(),
  status: AgentStatus,
  /** For waiting_for_input: the prompt that was recognised. */
  statusReason: z.string().nullable(),
  pid: z.number().int().nullable(),
  command: z.string(),
  args: z.array(z.string()),
  cwd: z.string(),
  /** The provider whose CLI this agent runs, and with which account; null for a plain command. */
  provider: z.string().nullable(),
  account: z.string().nullable(),
  cols: z.number().int(),
  rows: z.number().int(),
  startedAt: z.number(),
  exit: AgentExit.nullable(),
  /** Someone asked it to stop (kill, restart, remove): its exit is no surprise worth a notification. */
  stopRequested: z.boolean(),
  restarts: z.number().int(),
  lastOutputAt: z.number().nullable(),
  /** The CLI reported a usage or rate limit: its words, when it resets, and where the agent went on. */
  usageLimit: z
    .object({
      message: z.string(),
      at: z.number(),
      resetText: z.string().optional(),
      resetsAt: z.number().optional(),
      /** Other accounts of the provider the agent can continue on (none hit a limit lately). */
      alternatives: z.array(z.string()),
      /** Set after the agent moved: the account it was on. */
      movedFrom: z.string().optional(),
    })
    .optional(),
  /**
   * The user allowed relay messages into this agent even while a plain shell (bash, zsh, PowerShell,
   * cmd…) is its foreground program, where they would run as commands. Off by default.
   */
  acceptRelay: z.boolean(),
  /** A plain shell is at its prompt in this agent's terminal now (relay messages are held back). */
  shellPrompt: z.boolean(),
  /** Whether it needs the human, and why ("Ann asks for permission" · "folder trust"); null when not. */
  attention: z
    .object({ kind: z.enum(['permission', 'question', 'usage_limit', 'sign_in', 'error']), title: z.string(), reason: z.string() })
    .nullable()
    .optional(),
});
export type AgentInfo = z.infer<typeof AgentInfo>;

const TerminalCols = z.number().int().min(1).max(2000);
const TerminalRows = z.number().int().min(1).max(1000);

export const SpawnRequest = z
  .object({
    name: AgentName,
    /** A provider's CLI (claude, codex, gemini, copilot…) signed in with one of its accounts… */
    provider: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/).optional(),
    /** …the provider's default account unless named. */
    account: z.string().min(1).max(200).optional(),
    /** The provider's flag for acting without asking (--dangerously-skip-permissions, --yolo, …). */
    skipPermissions: z.boolean().default(false),
    /** …or any program, looked up on PATH. */
    command: z.string().min(1).max(4096).optional(),
    /** Arguments for the command, or extra arguments after the provider CLI's own. */
    args: z.array(z.string().max(32_768)).max(256).default([]),
    cwd: z.string().max(4096).optional(),
    env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'environment names are letters, digits and _'), z.string().max(32_768)).default({}),
    /** Handed to the agent as its first message once it is ready for input. */
    task: z.string().max(64 * 1024).optional(),
    /** Inject relay messages even when a plain shell is the foreground program (they run as commands). */
    acceptRelay: z.boolean().default(false),
    cols: TerminalCols.optional(),
    rows: TerminalRows.optional(),
  })
  .strict()
  .refine((r) => (r.provider === undefined) !== (r.command === undefined), { message: 'give either a provider or a command, not both', path: ['command'] })
  .refine((r) => r.provider !== undefined || (r.account === undefined && !r.skipPermissions), { message: 'account and skipPermissions go with a provider', path: ['provider'] });
export type SpawnRequest = z.input<typeof SpawnRequest>;

export const TerminalSnapshot = z.object({
  /** The last output chunk included; the live stream continues with seq + 1. */
  seq: z.number().int(),
  cols: z.number().int(),
  rows: z.number().int(),
  /** Serialized screen and scrollback: write it into a fresh xterm of cols×rows. */
  data: z.string(),
});
export type TerminalSnapshot = z.infer<typeof TerminalSnapshot>;

export const TerminalOutput = z.object({ name: z.string(), seq: z.number().int(), data: z.string() });
export type TerminalOutput = z.infer<typeof TerminalOutput>;

export const TeamTemplate = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  /** 'built-in', or the teams.json it came from. */
  source: z.string(),
  members: z.array(z.object({ name: z.string(), role: z.string(), command: z.string().optional(), args: z.array(z.string()).optional() })),
});
export type TeamTemplate = z.infer<typeof TeamTemplate>;

export const TeamStartRequest = z
  .object({
    team: z.string().min(1).max(80),
    cwd: z.string().min(1).max(4096),
    /** What every member runs unless the team says otherwise: a provider's CLI… */
    provider: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/).optional(),
    account: z.string().min(1).max(200).optional(),
    skipPermissions: z.boolean().default(false),
    /** …or a command. */
    command: z.string().min(1).max(4096).optional(),
    args: z.array(z.string().max(32_768)).max(256).default([]),
  })
  .strict()
  .refine((r) => (r.provider === undefined) !== (r.command === undefined), { message: 'give either a provider or a command, not both', path: ['command'] });

// ── Relay ────────────────────────────────────────────────────────────────────────────────────────

/**
 * queued → delivering → delivered (written into the terminal) → acknowledged (the recipient showed
 * it or reacted) or unacknowledged (it did neither: it may not have seen it); failed with a reason.
 */
export const DeliveryStatus = z.enum(['queued', 'delivering', 'delivered', 'acknowledged', 'unacknowledged', 'failed']);
export const RelayMessage = z.object({
  id: z.string(),
  ts: z.number(),
  from: z.string(),
  /** As addressed: a name or `*`. */
  to: z.string(),
  recipients: z.array(z.string()),
  /** Per recipient, the agent (its id) the copy is addressed to. */
  recipientIds: z.array(z.string()).optional(),
  body: z.string(),
  thread: z.string().nullable(),
  origin: z.enum(['agent', 'human', 'system']),
  kind: z.enum(['line', 'block', 'text']),
  deliveries: z.array(
    z.object({
      recipient: z.string(),
      status: DeliveryStatus,
      at: z.number(),
      code: z.string().optional(),
      reason: z.string().optional(),
    }),
  ),
  status: z.enum(['queued', 'delivered', 'acknowledged', 'unacknowledged', 'failed']),
});
export type RelayMessage = z.infer<typeof RelayMessage>;

export const HistoryQuery = z
  .object({
    agent: z.string().max(64).optional(),
    thread: z.string().max(64).optional(),
    before: z.string().max(64).optional(),
    limit: z.number().int().min(1).max(500).optional(),
  })
  .strict();

export const HistoryPage = z.object({ items: z.array(RelayMessage), nextCursor: z.string().optional() });
export type HistoryPage = z.infer<typeof HistoryPage>;

// ── Cloud sync ───────────────────────────────────────────────────────────────────────────────────

export const SyncState = z.enum(['off', 'signing_in', 'syncing', 'up_to_date', 'offline', 'needs_passphrase', 'error']);
export type SyncState = z.infer<typeof SyncState>;

/** What the tray and Settings show about cloud sync: never a token, passphrase or key. */
export const SyncStatus = z.object({
  state: SyncState,
  /** Signed in to a sync server (sync may still be off). */
  signedIn: z.boolean(),
  server: z.string().optional(),
  /** The sync account (its email). */
  account: z.string().optional(),
  deviceName: z.string().optional(),
  /** Epoch ms of the last successful exchange with the server. */
  lastSyncAt: z.number().optional(),
  /** needs_passphrase: 'choose' on the first device, 'enter' where the account already has one. */
  passphrase: z.enum(['choose', 'enter']).optional(),
  /** A sentence for the user: what happened and what to do. */
  message: z.string().optional(),
  /** error: what to act on, e.g. needs_signin, device_revoked, blob_tampered. */
  code: z.string().optional(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

// ── Search across agents ─────────────────────────────────────────────────────────────────────────

export const SearchQuery = z
  .object({
    text: z.string().min(1).max(1000),
    regex: z.boolean().optional(),
    caseSensitive: z.boolean().optional(),
    /** Only this agent's scrollback. */
    agent: z.string().min(1).max(64).optional(),
    /** Lines of context around each hit (default 2). */
    context: z.number().int().min(0).max(10).optional(),
    limit: z.number().int().min(1).max(2000).optional(),
  })
  .strict();
export type SearchQuery = z.infer<typeof SearchQuery>;

export const SearchHit = z.object({
  agent: z.string(),
  /** Line number since the agent started (0 = its first line), and counted from the bottom (1 = last). */
  line: z.number().int(),
  fromBottom: z.number().int(),
  text: z.string(),
  before: z.array(z.string()),
  after: z.array(z.string()),
  start: z.number().int(),
  end: z.number().int(),
});
export type SearchHit = z.infer<typeof SearchHit>;

export const SearchResult = z.object({
  hits: z.array(SearchHit),
  /** Lines searched over every agent. */
  lines: z.number().int(),
  truncated: z.boolean(),
  tookMs: z.number(),
});
export type SearchResult = z.infer<typeof SearchResult>;

// ── Starting the team again after a restart ─────────────────────────────────────────────────────

/** An agent that was running when the computer (or the terminal host) stopped. */
export const RestorableAgent = z.object({
  name: z.string(),
  provider: z.string().nullable(),
  account: z.string().nullable(),
  skipPermissions: z.boolean(),
  command: z.string().nullable(),
  args: z.array(z.string()),
  cwd: z.string(),
  /** The CLI's own way to continue its last conversation (`--continue`, `resume --last`, `--resume latest`); null if none. */
  resumeArgs: z.array(z.string()).nullable(),
});
export type RestorableAgent = z.infer<typeof RestorableAgent>;

const method = <A extends z.ZodTuple, R extends z.ZodType>(args: A, result: R) => ({ args, result });
const none = z.tuple([]);

/** Methods: name → argument tuple and result. */
export const methods = {
  'app.info': method(none, AppInfo),
  'app.getSettings': method(none, Settings),
  'app.setSettings': method(z.tuple([SettingsPatch]), Settings),
  /** Start at login (tray app only; the headless host says it is not supported). */
  'app.getLoginItem': method(none, LoginItemState),
  'app.setLoginItem': method(z.tuple([z.boolean()]), LoginItemState),
  'app.checkForUpdates': method(none, UpdateOutcome),
  /** A native folder picker where the host has one (Electron); `supported: false` headless. */
  'app.pickFolder': method(
    z.tuple([z.object({ defaultPath: z.string().max(4096).optional(), title: z.string().max(200).optional() }).strict()]),
    z.object({ supported: z.boolean(), path: z.string().nullable() }),
  ),
  /** Opens a route in a window of its own where the host has windows (Electron); false headless. */
  'app.openWindow': method(z.tuple([z.string().regex(/^#\/[A-Za-z0-9_\-/]*$/, 'a route such as #/agents/Alice/console')]), z.object({ opened: z.boolean() })),

  'providers.list': method(none, ProvidersState),
  /** Starts a sign-in; its progress arrives as `providers.signIn` events with the returned flowId. */
  'providers.connect': method(
    z.tuple([z.object({ provider: ProviderId, method: SignInMethod.exclude(['api-key']), account: AccountLabel.optional() }).strict()]),
    z.object({ flowId: z.string() }),
  ),
  /** The code the user pasted (`code#state`, a callback URL, or the code alone). */
  'providers.submitCode': method(z.tuple([z.object({ flowId: z.string(), code: z.string().min(1).max(8192) }).strict()]), AccountView),
  'providers.cancel': method(z.tuple([z.string()]), z.null()),
  'providers.saveApiKey': method(
    z.tuple([z.object({ provider: ProviderId, apiKey: z.string().min(8).max(4096), account: AccountLabel.optional(), baseUrl: z.string().url().optional() }).strict()]),
    AccountView,
  ),
  /** Self-hosted endpoints: checked by listing their models before they count as connected. */
  'providers.connectSelfHosted': method(
    z.tuple([z.object({ provider: ProviderId, baseUrl: z.string().url(), apiKey: z.string().max(4096).optional(), account: AccountLabel.optional() }).strict()]),
    AccountView,
  ),
  /** Removes the account and revokes its token where the provider can. */
  'providers.disconnect': method(z.tuple([z.object({ provider: ProviderId, accountId: z.string().min(1).max(200) }).strict()]), z.object({ revoked: z.boolean() })),
  'providers.setDefault': method(z.tuple([z.object({ provider: ProviderId, accountId: z.string().min(1).max(200) }).strict()]), AccountView),
  /** The user agreed to store secrets with weaker protection. */
  'vault.consent': method(none, VaultStatus),

  'agents.list': method(none, z.array(AgentInfo)),
  'agents.spawn': method(z.tuple([SpawnRequest]), AgentInfo),
  /** SIGTERM, then SIGKILL after a grace period; the agent stays listed with its exit. */
  'agents.kill': method(z.tuple([AgentName]), AgentInfo),
  'agents.restart': method(z.tuple([AgentName]), AgentInfo),
  /** Restarts a provider agent on another account of its provider, continuing its last conversation. */
  'agents.continueOn': method(z.tuple([z.object({ name: AgentName, account: z.string().min(1).max(200) }).strict()]), AgentInfo),
  /** Stops the agent if it runs and forgets it; messages still queued for it fail. */
  'agents.remove': method(z.tuple([AgentName]), z.null()),
  /** Turns "accept relay messages" (even at a shell prompt) on or off for one agent. */
  'agents.setAcceptRelay': method(z.tuple([AgentName, z.boolean()]), AgentInfo),

  /** Screen and scrollback now; then `terminal.output` events to this connection from seq + 1. */
  'terminal.attach': method(z.tuple([AgentName]), TerminalSnapshot),
  'terminal.detach': method(z.tuple([AgentName]), z.null()),
  /** The console parsed this many characters of output (flow control). */
  'terminal.ack': method(z.tuple([AgentName, z.number().int().min(0).max(100_000_000)]), z.null()),
  /** Keystrokes typed by the human. */
  'terminal.input': method(z.tuple([AgentName, z.string().max(1024 * 1024)]), z.null()),
  'terminal.resize': method(z.tuple([AgentName, TerminalCols, TerminalRows]), z.null()),
  /** The visible screen as plain text lines. */
  'terminal.screen': method(z.tuple([AgentName]), z.array(z.string())),
  /** Agents recorded as running that are gone (after a reboot): the offer to start the team again. */
  'agents.restorable': method(none, z.array(RestorableAgent)),
  /** Starts them again (each with its command, folder and account; `resume` adds the CLI's resume option). */
  'agents.restore': method(z.tuple([z.object({ names: z.array(AgentName).min(1).max(100), resume: z.boolean() }).strict()]), z.array(AgentInfo)),
  'agents.dismissRestore': method(none, z.null()),
  /** Finds text in every agent's scrollback (where the terminals live), hits by agent with context. */
  'agents.search': method(z.tuple([SearchQuery]), SearchResult),

  /** Built-in teams and those in <cwd>/teams.json. */
  'teams.list': method(z.tuple([z.object({ cwd: z.string().max(4096).optional() }).strict()]), z.object({ templates: z.array(TeamTemplate), problem: z.string().optional() })),
  /** Starts every member, each told its role and teammates in its first message. */
  'teams.start': method(z.tuple([TeamStartRequest]), z.array(AgentInfo)),

  /** A message from the human to one agent (by name) or to all (`*`). */
  'relay.send': method(z.tuple([z.object({ to: z.string().min(1).max(64), body: z.string().min(1).max(64 * 1024) }).strict()]), RelayMessage),
  'relay.read': method(z.tuple([z.string().min(1).max(64)]), RelayMessage),
  'relay.history': method(z.tuple([HistoryQuery.default({})]), HistoryPage),

  'sync.status': method(none, SyncStatus),
  /** Signs in to a sync server with a device code; progress arrives as `sync.signIn` events. */
  'sync.login': method(z.tuple([z.object({ server: z.string().url().max(2048), allowInsecureHttp: z.boolean().optional() }).strict()]), z.object({ flowId: z.string() })),
  'sync.cancel': method(z.tuple([z.string()]), z.null()),
  /**
   * Turns sync on: the passphrase to choose (first device) or enter (the passphrase or the recovery
   * code, other devices). The recovery code comes back once, on the first device only.
   */
  'sync.enable': method(z.tuple([z.object({ passphrase: z.string().min(1).max(1024) }).strict()]), z.object({ status: SyncStatus, recoveryCode: z.string().optional() })),
  /** Stops talking to the server; the local vault stays as it is. */
  'sync.disable': method(none, SyncStatus),
  'sync.now': method(none, SyncStatus),
  /** Deletes the vault, key envelope, leases and devices on the server and turns sync off here. */
  'sync.removeServerData': method(z.tuple([z.object({ confirm: z.literal(true) }).strict()]), SyncStatus),
  /** Re-wraps the same vault key: `current` is the passphrase or the recovery code. */
  'sync.changePassphrase': method(z.tuple([z.object({ current: z.string().min(1).max(1024), next: z.string().min(1).max(1024) }).strict()]), SyncStatus),
  /** Forgets the sync sign-in on this device (the local vault stays). */
  'sync.signOut': method(none, SyncStatus),
} as const;

/** Events the daemon pushes to every connected UI: name → payload. */
export const events = {
  'settings.changed': Settings,
  'app.loginItemChanged': LoginItemState,
  'providers.changed': ProvidersState,
  'providers.signIn': SignInProgress,
  /** Every agent, whenever one is spawned, changes status, exits or is removed. */
  'agents.changed': z.array(AgentInfo),
  /** Output of a terminal this connection attached to (sent to that connection only). */
  'terminal.output': TerminalOutput,
  /** A message was queued, delivered, acknowledged (or flagged not acknowledged) or failed. */
  'relay.message': RelayMessage,
  'sync.changed': SyncStatus,
  /** Progress of a sync sign-in (provider 'agent-relay-cloud', method 'device'). */
  'sync.signIn': SignInProgress,
} as const;

export type Methods = typeof methods;
export type Events = typeof events;
export type MethodName = keyof Methods;
export type EventName = keyof Events;
/** What a caller passes (before defaults). */
export type MethodArgs<M extends MethodName> = z.input<Methods[M]['args']>;
/** What a handler receives (after validation and defaults). */
export type MethodParams<M extends MethodName> = z.output<Methods[M]['args']>;
/** What a caller gets back. */
export type MethodResult<M extends MethodName> = z.output<Methods[M]['result']>;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const methodNames = Object.keys(methods) as MethodName[];
export const eventNames = Object.keys(events) as EventName[];

/** Codes a caller can act on. */
export const ErrorCode = z.enum([
  'invalid_args',
  'invalid_message',
  'unknown_method',
  'unauthorized',
  'disconnected',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const BridgeErrorShape = z.object({ code: z.string(), message: z.string() });
export type BridgeErrorShape = z.infer<typeof BridgeErrorShape>;

/** Every reply on every transport is one of these, so a failure keeps its code across IPC. */
export type Reply<T = unknown> = { ok: true; value: T } | { ok: false; error: BridgeErrorShape };

/** The API as the renderer sees it, whichever transport carries it. */
export interface RelayApi {
  call<M extends MethodName>(method: M, ...args: MethodArgs<M>): Promise<MethodResult<M>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/**
 * What the Electron preload exposes as `window.relay`: one function per contract method (returning
 * the reply envelope), and `on` for contract events. Nothing else crosses.
 */
export type PreloadApi = { readonly [M in MethodName]: (...args: MethodArgs<M>) => Promise<Reply<MethodResult<M>>> } & {
  readonly on: (event: EventName, listener: (payload: unknown) => void) => () => void;
};

/** Electron IPC channel names, derived from the contract. */
export const ipcChannel = (name: MethodName): string => `relay:call:${name}`;
export const IPC_EVENT_CHANNEL = 'relay:event';

/** Frames of the WebSocket transport (headless host and CLI). */
export type WsClientFrame = { type: 'call'; id: number; method: string; args: unknown[] };
export type WsServerFrame =
  | ({ type: 'reply'; id: number | null } & Reply)
  | { type: 'event'; event: EventName; payload: unknown };
