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

export const Settings = z.object({
  theme: Theme,
  terminalFontFamily: z.string().min(1).max(200),
  terminalFontSize: z.number().int().min(8).max(32),
  scrollbackLines: z.number().int().min(100).max(100_000),
  notifications: z.boolean(),
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
};

const method = <A extends z.ZodTuple, R extends z.ZodType>(args: A, result: R) => ({ args, result });
const none = z.tuple([]);

/** Methods: name → argument tuple and result. */
export const methods = {
  'app.info': method(none, AppInfo),
  'app.getSettings': method(none, Settings),
  'app.setSettings': method(z.tuple([SettingsPatch]), Settings),
} as const;

/** Events the daemon pushes to every connected UI: name → payload. */
export const events = {
  'settings.changed': Settings,
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
