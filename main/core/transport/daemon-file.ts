import { processAlive } from '../base/process.js';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../base/atomic-file.js';

/**
 * `daemon.json` in the data dir tells later CLI commands where the running daemon listens and
 * which token it takes. Readable only by the user (0600).
 */
export const DaemonInfo = z.object({
  pid: z.number().int(),
  host: z.enum(['electron', 'headless']),
  url: z.string(),
  port: z.number().int(),
  token: z.string(),
  startedAt: z.string(),
  version: z.string(),
});
export type DaemonInfo = z.infer<typeof DaemonInfo>;

export const DAEMON_FILE = 'daemon.json';
export const TOKEN_ENV = 'AGENT_RELAY_TOKEN';

export const daemonFilePath = (dataDir: string): string => path.join(dataDir, DAEMON_FILE);

export { processAlive };

export function writeDaemonFile(dataDir: string, info: DaemonInfo): void {
  writeFileAtomic(daemonFilePath(dataDir), JSON.stringify(info, undefined, 2));
}

/** Removes the file only when it still describes this process (a newer daemon may own it). */
export function removeDaemonFile(dataDir: string, pid = process.pid): void {
  const current = readDaemonFile(dataDir);
  if (current && current.pid === pid) fs.rmSync(daemonFilePath(dataDir), { force: true });
}

export function readDaemonFile(dataDir: string): DaemonInfo | undefined {
  try {
    const parsed = DaemonInfo.safeParse(JSON.parse(fs.readFileSync(daemonFilePath(dataDir), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

