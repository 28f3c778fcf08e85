/** "4:59" for a countdown (minutes:seconds), never negative. */
export function countdown(msLeft: number): string {
  const total = Math.max(0, Math.ceil(msLeft / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}

/** "expires in 42 minutes", "expires in 3 hours", "expired 2 minutes ago". */
export function expiryText(expiresAt: number, now: number): string {
  const left = expiresAt - now;
  const span = humanSpan(Math.abs(left));
  return left >= 0 ? `expires in ${span}` : `expired ${span} ago`;
}

function humanSpan(ms: number): string {
  // Rounded down, so a countdown reads 59, 58, … minutes rather than jumping to "1 hour".
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return plural(seconds, 'second');
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return plural(hours, 'hour');
  return plural(Math.round(hours / 24), 'day');
}

const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;
