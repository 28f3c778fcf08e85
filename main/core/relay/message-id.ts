import crypto from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * Message ids: 9 base-36 characters of milliseconds (sortable until year 5188) then 3 random ones.
 * Within one generator the time part strictly increases, so ids sort in creation order.
 */
export class MessageIdGenerator {
  private last = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Continues after an id read back from the log, so a restart never reuses or reorders. */
  observe(id: string): void {
    const ms = Number.parseInt(id.slice(0, 9), 36);
    if (Number.isFinite(ms) && ms > this.last) this.last = ms;
  }

  next(): string {
    const ms = Math.max(this.now(), this.last + 1);
    this.last = ms;
    const bytes = crypto.randomBytes(3);
    let tail = '';
    for (const byte of bytes) tail += ALPHABET[byte % 36];
    return ms.toString(36).padStart(9, '0') + tail;
  }
}

export function isMessageId(value: string): boolean {
  return /^[0-9a-z]{12}$/.test(value);
}
