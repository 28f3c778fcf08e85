import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger, LOG_FILE } from '../../../main/core/logging/logger.js';
import { makeTempDir } from '../../support/temp-dir.js';

const SECRET = 'sk-ant-oat01-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';

async function waitFor(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('logger', () => {
  it('writes one JSON record per line with level, scope and fields', () => {
    const tmp = makeTempDir();
    try {
      const logger = createLogger({ dir: tmp.dir, level: 'debug', console: false });
      logger.child('sync').warn('server unreachable', { attempt: 3 });
      const [line] = fs.readFileSync(path.join(tmp.dir, LOG_FILE), 'utf8').trim().split('\n');
      expect(JSON.parse(line!)).toMatchObject({ level: 'warn', scope: 'app:sync', msg: 'server unreachable', attempt: 3 });
    } finally {
      tmp.cleanup();
    }
  });

  it('keeps the daemon file off the event loop, still redacted, with the file private', async () => {
    const tmp = makeTempDir();
    try {
      const file = path.join(tmp.dir, LOG_FILE);
      const logger = createLogger({ dir: tmp.dir, console: false, sync: false });
      logger.info('refreshed', { token: SECRET });
      await waitFor(() => fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes('refreshed'));
      const text = fs.readFileSync(file, 'utf8');
      expect(text).not.toContain(SECRET);
      expect(text).toContain('[redacted]');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      tmp.cleanup();
    }
  });

  it('shows the console a readable line and only from its own level up', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', consoleLevel: 'warn', console: (line) => lines.push(line) });
    logger.info('quiet');
    logger.error('agent failed', { error: new Error('pty gone') });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/ERROR \[app\] agent failed error=Error: pty gone/);
  });
});
