import fs from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import { redact } from './redact.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

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
}

export const LOG_FILE = 'agent-relay.log';
const MAX_LOG_BYTES = 5 * 1024 * 1024;

function formatFields(fields: Record<string, unknown> | undefined): string {
  if (!fields) return '';
  const parts = Object.entries(fields).map(([key, value]) => {
    const text =
      value instanceof Error
        ? (value.stack ?? value.message)
        : typeof value === 'string'
          ? value
          : inspect(value, { depth: 4, breakLength: Infinity });
    return `${key}=${text}`;
  });
  return parts.length ? ` ${parts.join(' ')}` : '';
}

/** The one logger: levels, a file in the data dir and the console, every line redacted. */
export function createLogger(options: LoggerOptions = {}, scope = 'app'): Logger {
  const level = options.level ?? ((process.env.AGENT_RELAY_LOG_LEVEL as LogLevel | undefined) || 'info');
  const consoleLevel = options.consoleLevel ?? 'warn';
  const toConsole = options.console === undefined ? (line: string) => process.stderr.write(`${line}\n`) : options.console;
  let file: string | undefined;
  if (options.dir) {
    fs.mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    file = path.join(options.dir, LOG_FILE);
    rotateIfLarge(file);
  }

  const write = (lvl: LogLevel, scopeName: string, message: string, fields?: Record<string, unknown>) => {
    if (RANK[lvl] < RANK[level] && RANK[lvl] < RANK[consoleLevel]) return;
    const line = redact(`${new Date().toISOString()} ${lvl.toUpperCase().padEnd(5)} [${scopeName}] ${message}${formatFields(fields)}`);
    if (file && RANK[lvl] >= RANK[level]) {
      try {
        fs.appendFileSync(file, `${line}\n`, { mode: 0o600 });
      } catch {
        // A full disk must not take the daemon down with it.
      }
    }
    if (toConsole && RANK[lvl] >= RANK[consoleLevel]) toConsole(line);
  };

  const make = (scopeName: string): Logger => ({
    debug: (m, f) => write('debug', scopeName, m, f),
    info: (m, f) => write('info', scopeName, m, f),
    warn: (m, f) => write('warn', scopeName, m, f),
    error: (m, f) => write('error', scopeName, m, f),
    child: (child) => make(`${scopeName}:${child}`),
  });
  return make(scope);
}

function rotateIfLarge(file: string): void {
  try {
    if (fs.statSync(file).size > MAX_LOG_BYTES) fs.renameSync(file, `${file}.1`);
  } catch {
    // No log yet.
  }
}
