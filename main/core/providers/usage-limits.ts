export interface UsageLimitNotice {
  readonly message: string;
  readonly at: number;
  readonly resetsAt?: number;
  readonly resetText?: string;
}

/** Usage limits agents reported, per account key; kept in memory (they pass), never synced. */
export class UsageLimits {
  private readonly limits = new Map<string, UsageLimitNotice>();

  /** A limit passes at its reset time (an hour after it was seen when the CLI gave none). */
  current(key: string): UsageLimitNotice | undefined {
    const limit = this.limits.get(key);
    if (!limit) return undefined;
    if ((limit.resetsAt ?? limit.at + 3600_000) > Date.now()) return limit;
    this.limits.delete(key);
    return undefined;
  }

  /** Sets or (undefined) clears the account's limit; false when there was nothing to clear. */
  report(key: string, notice: UsageLimitNotice | undefined): boolean {
    if (!notice) return this.limits.delete(key);
    this.limits.set(key, notice);
    return true;
  }

  delete(key: string): void {
    this.limits.delete(key);
  }
}
