import type { TrayIconVariant } from './tray-icon.js';

/** What the tray shows, gathered from the agent manager and the provider accounts. */
export interface TrayState {
  /** Agents whose process is running (busy, idle or waiting). */
  readonly runningAgents: number;
  /** Names of agents waiting for the user's input (a permission prompt, a question). */
  readonly waitingForInput: ReadonlyArray<string>;
  /** Names of providers whose sign-in expired or was revoked. */
  readonly providersNeedingSignIn: ReadonlyArray<string>;
  /** Agents that need the user, and why (waiting at a prompt, hit a usage limit, exited with an error). */
  readonly attention?: ReadonlyArray<{ readonly name: string; readonly title: string; readonly reason: string }>;
}

export const IDLE_TRAY_STATE: TrayState = { runningAgents: 0, waitingForInput: [], providersNeedingSignIn: [] };

export interface TrayPresentation {
  readonly iconVariant: TrayIconVariant;
  /** The tooltip (Windows truncates at 127 characters, so it stays under that). */
  readonly tooltip: string;
  /** One line for the top of the tray menu: Linux panels show no tooltip. */
  readonly summary: string;
}

const TOOLTIP_LIMIT = 127;
const APP_NAME = 'Agent Relay';

/** "Alice", "Alice and Bob", "Alice, Bob and 3 more". */
export function listNames(names: ReadonlyArray<string>, shown = 2): string {
  if (names.length <= shown + 1) {
    return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  }
  return `${names.slice(0, shown).join(', ')} and ${names.length - shown} more`;
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

function waitingLine(names: ReadonlyArray<string>): string {
  return names.length === 1 ? `${names[0]} is waiting for input` : `${listNames(names)} are waiting for input`;
}

function signInLine(names: ReadonlyArray<string>): string {
  return `${listNames(names)} ${names.length === 1 ? 'needs' : 'need'} signing in again`;
}

/**
 * The icon and text for a state. Attention (an agent waiting, a provider signed out) outranks
 * running, which outranks idle; the text names what needs the user first.
 */
export function presentTrayState(state: TrayState): TrayPresentation {
  const lines: string[] = [];
  const attention = state.attention ?? [];
  if (attention.length === 1) lines.push(`${attention[0]!.title} (${attention[0]!.reason})`);
  else if (attention.length > 1) lines.push(`${listNames(attention.map((a) => a.name))} need you`);
  else if (state.waitingForInput.length > 0) lines.push(waitingLine(state.waitingForInput));
  if (state.providersNeedingSignIn.length > 0) lines.push(signInLine(state.providersNeedingSignIn));
  if (state.runningAgents > 0) lines.push(`${plural(state.runningAgents, 'agent', 'agents')} running`);

  const iconVariant: TrayIconVariant =
    attention.length > 0 || state.waitingForInput.length > 0 || state.providersNeedingSignIn.length > 0 ? 'attention' : state.runningAgents > 0 ? 'running' : 'idle';
  const summary = lines[0] ?? 'No agents running';
  let tooltip = lines.length === 0 ? APP_NAME : `${APP_NAME}\n${lines.join('\n')}`;
  if (tooltip.length > TOOLTIP_LIMIT) tooltip = `${tooltip.slice(0, TOOLTIP_LIMIT - 1)}…`;
  return { iconVariant, tooltip, summary };
}

/** The current tray state, updated piecemeal by whoever knows each part. */
export interface TrayStatus {
  get(): TrayState;
  update(patch: Partial<TrayState>): void;
  subscribe(listener: (state: TrayState) => void): () => void;
}

export function createTrayStatus(initial: TrayState = IDLE_TRAY_STATE): TrayStatus {
  let state = initial;
  const listeners = new Set<(state: TrayState) => void>();
  return {
    get: () => state,
    update(patch) {
      state = { ...state, ...patch };
      for (const listener of listeners) listener(state);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
