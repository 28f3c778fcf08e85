import fs from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import pino from 'pino';
import { redact } from './redact.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(scope: string): Logger;
}

export interface LoggerOptions {
  /** Folder for agent-relay.log; no file when omitted. */
  dir?: string;
  level?: LogLevel;
  /** Where console lines go; stderr by default so stdout stays machine-readable (--json). */
  console?: ((line: string) => void) | false;
  consoleLevel?: LogLevel;
  /**
   * false: the file is written off the event loop (buffered, flushed on exit) — what a long-running
   * daemon wants. true (default): each line is on disk when the call returns, for short CLI runs and tests.
   */
  sync?: boolean;
}

export const LOG_FILE = 'agent-relay.log';
const MAX_LOG_BYTES = 5 * 1024 * 1024;

/** One NDJSON record as pino writes it (`level` as its label, see `formatters.level`). */
interface LogRecord {
  time?: string;
  level?: string;
  scope?: string;
  msg?: string;
  [field: string]: unknown;
}

const RECORD_KEYS = new Set(['time', 'level', 'scope', 'msg']);

function formatValue(value: unknown): string {
  if (typeof value === 'string') return value;
  const error = value as { type?: unknown; message?: unknown; stack?: unknown } | null;
  if (error && typeof error === 'object' && typeof error.message === 'string' && 'type' in error) {
    return typeof error.stack === 'string' ? error.stack : error.message;
  }
  return inspect(value, { depth: 4, breakLength: Infinity });
}

/** The human form of a record for the console: `TIME LEVEL [scope] message key=value …`. */
function consoleLine(json: string): string {
  let record: LogRecord;
  try {
    record = JSON.parse(json) as LogRecord;
  } catch {
    return json.trimEnd();
  }
  const fields = Object.entries(record)
    .filter(([key]) => !RECORD_KEYS.has(key))
    .map(([key, value]) => ` ${key}=${formatValue(value)}`)
    .join('');
  return `${record.time ?? ''} ${(record.level ?? '').toUpperCase().padEnd(5)} [${record.scope ?? ''}] ${record.msg ?? ''}${fields}`;
}

/** Errors under any key keep their type, message and stack (JSON would turn them into `{}`). */
function serializeFields(fields: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!fields) return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = value instanceof Error ? pino.stdSerializers.err(value) : value;
  }
  return out;
}

const RANK: Record<LogLevel, number> = { debug: 20, info: 30, warn: 40, error: 50 };

function lower(a: LogLevel, b: LogLevel): LogLevel {
  return RANK[a] <= RANK[b] ? a : b;
}

/**
 * The one logger (pino): NDJSON lines in the data dir's log file, human lines on the console.
 * Every line is redacted as a whole just before it is written, so no secret reaches either.
 */
export function createLogger(options: LoggerOptions = {}, scope = 'app'): Logger {
  const level = options.level ?? ((process.env.AGENT_RELAY_LOG_LEVEL as LogLevel | undefined) || 'info');
  const consoleLevel = options.consoleLevel ?? 'warn';
  const toConsole = options.console === undefined ? (line: string) => process.stderr.write(`${line}\n`) : options.console;

  const streams: pino.StreamEntry<LogLevel>[] = [];
  if (options.dir) {
    fs.mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    const file = path.join(options.dir, LOG_FILE);
    rotateIfLarge(file);
    const destination = pino.destination({ dest: file, sync: options.sync ?? true, mode: 0o600 });
    // A full disk must not take the daemon down with it.
    destination.on('error', () => undefined);
    streams.push({ level, stream: destination });
  }
  if (toConsole) streams.push({ level: consoleLevel, stream: { write: (json: string) => toConsole(consoleLine(json)) } });

  const root = pino(
    {
      level: streams.length ? lower(level, consoleLevel) : 'silent',
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      hooks: { streamWrite: redact },
    },
    pino.multistream(streams),
  );

  const make = (scopeName: string): Logger => {
    const log = root.child({ scope: scopeName });
    return {
      debug: (m, f) => log.debug(serializeFields(f), m),
      info: (m, f) => log.info(serializeFields(f), m),
      warn: (m, f) => log.warn(serializeFields(f), m),
      error: (m, f) => log.error(serializeFields(f), m),
      child: (child) => make(`${scopeName}:${child}`),
    };
  };
  return make(scope);
}

function rotateIfLarge(file: string): void {
  try {
    if (fs.statSync(file).size > MAX_LOG_BYTES) fs.renameSync(file, `${file}.1`);
  } catch {
    // No log yet.
  }
}
