import { BridgeError } from '../bridge/errors.js';

export type AgentErrorCode =
  | 'command_not_found'
  | 'cwd_not_found'
  | 'spawn_failed'
  | 'invalid_size'
  | 'invalid_agent_spec'
  | 'agent_exists'
  | 'agent_not_found'
  | 'agent_not_running'
  | 'terminal_unavailable';

/** An agent failure the UI and CLI can act on: a code, a sentence, and details for the code. */
export class AgentError extends BridgeError {
  constructor(
    override readonly code: AgentErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(code, message);
    this.name = 'AgentError';
  }
}

export type Result<T, E = AgentError> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const fail = <E>(error: E): Result<never, E> => ({ ok: false, error });
