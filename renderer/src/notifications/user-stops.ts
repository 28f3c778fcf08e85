/**
 * Agents the user stopped themselves (Kill, Restart, Remove), so their exit raises no notification.
 * Kept in localStorage so that every window of the app (console windows too) knows.
 */
const KEY = (name: string) => `agent-relay:user-stopped:${name}`;
const QUIET_FOR_MS = 30_000;

export function markStoppedByUser(name: string): void {
  try {
    localStorage.setItem(KEY(name), String(Date.now()));
  } catch {
    // Storage may be unavailable (private mode); the only cost is one extra notification.
  }
}

export function stoppedByUser(name: string, now = Date.now()): boolean {
  try {
    const at = Number(localStorage.getItem(KEY(name)));
    return Number.isFinite(at) && now - at < QUIET_FOR_MS;
  } catch {
    return false;
  }
}
