import fs from 'node:fs';
import path from 'node:path';
import { withFileLockSync } from '../base/file-lock.js';
import { redact } from '../logging/redact.js';

export const AUDIT_FILE = 'audit.jsonl';

export type AuditAction = 'connect' | 'refresh' | 'failure' | 'disconnect' | 'import' | 'vault_recovered';

/** One line of the audit log. No field holds a secret; free text is redacted on the way in. */
export interface AuditEvent {
  readonly time: string;
  readonly action: AuditAction;
  readonly provider?: string;
  readonly account?: string;
  readonly method?: string;
  readonly outcome: 'ok' | 'error';
  /** Error code when outcome is 'error' (e.g. refresh_token_reused). */
  readonly code?: string;
  readonly detail?: string;
}

export interface AuditLog {
  readonly file: string;
  record(event: Omit<AuditEvent, 'time'> & { time?: string }): AuditEvent;
  read(): AuditEvent[];
}

/** Append-only JSONL in the data dir, 0600: what happened to which account, when, with what outcome. */
export function createAuditLog(dataDir: string, now: () => Date = () => new Date()): AuditLog {
  const file = path.join(dataDir, AUDIT_FILE);
  return {
    file,
    record(input) {
      const event: AuditEvent = Object.fromEntries(
        Object.entries({
          time: input.time ?? now().toISOString(),
          action: input.action,
          provider: input.provider,
          account: input.account,
          method: input.method,
          outcome: input.outcome,
          code: input.code,
          detail: input.detail === undefined ? undefined : redact(input.detail),
        }).filter(([, v]) => v !== undefined),
      ) as unknown as AuditEvent;
      fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      // One writer at a time across processes, so a line is never interleaved with another's, even
      // a long one or on a file system where O_APPEND is not atomic.
      withFileLockSync(file, () => fs.appendFileSync(file, `${JSON.stringify(event)}\n`, { mode: 0o600 }));
      return event;
    },
    read() {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
      const events: AuditEvent[] = [];
      for (const line of text.split('\n')) {
        if (!line.trim()) continue;
        try {
          events.push(JSON.parse(line) as AuditEvent);
        } catch {
          // A torn last line after a crash is skipped, not fatal.
        }
      }
      return events;
    },
  };
}
