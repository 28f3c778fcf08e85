import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../base/atomic-file.js';

/** `terminal-host.json` in the data dir: where the terminal host listens and its per-run token (0600). */
export interface HostFileInfo {
  readonly pid: number;
  readonly port: number;
  readonly token: string;
  readonly protocol: { readonly major: number; readonly minor: number };
  readonly version: string;
  readonly startedAt: string;
}

const int = (value: unknown, min = -Infinity, max = Infinity): value is number => Number.isInteger(value) && (value as number) >= min && (value as number) <= max;

/** Checked by hand: the host process stays small (no schema library) so it starts fast. */
export function parseHostFile(value: unknown): HostFileInfo | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  const protocol = v.protocol as Record<string, unknown> | undefined;
  if (!int(v.pid, 1) || !int(v.port, 1, 65_535) || typeof v.token !== 'string' || v.token.length < 16) return undefined;
  if (!protocol || typeof protocol !== 'object' || !int(protocol.major, 0) || !int(protocol.minor, 0)) return undefined;
  if (typeof v.version !== 'string' || typeof v.startedAt !== 'string') return undefined;
  return {
    pid: v.pid,
    port: v.port,
    token: v.token,
    protocol: { major: protocol.major, minor: protocol.minor },
    version: v.version,
    startedAt: v.startedAt,
  };
}

export const HOST_FILE = 'terminal-host.json';
export const hostFilePath = (dataDir: string): string => path.join(dataDir, HOST_FILE);

export function writeHostFile(dataDir: string, info: HostFileInfo): void {
  writeFileAtomic(hostFilePath(dataDir), JSON.stringify(info, undefined, 2));
}

export function readHostFile(dataDir: string): HostFileInfo | undefined {
  try {
    return parseHostFile(JSON.parse(fs.readFileSync(hostFilePath(dataDir), 'utf8')));
  } catch {
    return undefined;
  }
}

/** Removes the file only when it still describes this host (a newer one may own it). */
export function removeHostFile(dataDir: string, pid = process.pid): void {
  const current = readHostFile(dataDir);
  if (current && current.pid === pid) fs.rmSync(hostFilePath(dataDir), { force: true });
}
