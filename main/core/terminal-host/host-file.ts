import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../base/atomic-file.js';

/** `terminal-host.json` in the data dir: where the terminal host listens and its per-run token (0600). */
export const HostFileInfo = z.object({
  pid: z.number().int(),
  port: z.number().int().min(1).max(65_535),
  token: z.string().min(16),
  protocol: z.object({ major: z.number().int(), minor: z.number().int() }),
  version: z.string(),
  startedAt: z.string(),
});
export type HostFileInfo = z.infer<typeof HostFileInfo>;

export const HOST_FILE = 'terminal-host.json';
export const hostFilePath = (dataDir: string): string => path.join(dataDir, HOST_FILE);

export function writeHostFile(dataDir: string, info: HostFileInfo): void {
  writeFileAtomic(hostFilePath(dataDir), JSON.stringify(info, undefined, 2));
}

export function readHostFile(dataDir: string): HostFileInfo | undefined {
  try {
    const parsed = HostFileInfo.safeParse(JSON.parse(fs.readFileSync(hostFilePath(dataDir), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Removes the file only when it still describes this host (a newer one may own it). */
export function removeHostFile(dataDir: string, pid = process.pid): void {
  const current = readHostFile(dataDir);
  if (current && current.pid === pid) fs.rmSync(hostFilePath(dataDir), { force: true });
}
