import fs from 'node:fs';
import path from 'node:path';

/** Content, mode and mtime of every file under a folder: to prove an import changed nothing. */
export function snapshotTree(root: string): Record<string, { content: string; mode: number; mtimeMs: number }> {
  const out: Record<string, { content: string; mode: number; mtimeMs: number }> = {};
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    const stat = fs.statSync(file);
    out[path.relative(root, file)] = entry.isFile()
      ? { content: fs.readFileSync(file, 'base64'), mode: stat.mode, mtimeMs: stat.mtimeMs }
      : { content: '<dir>', mode: stat.mode, mtimeMs: stat.mtimeMs };
  }
  return out;
}
