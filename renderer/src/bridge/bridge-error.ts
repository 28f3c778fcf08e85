import { BridgeCallError } from './bridge';

/** A failed call as { code, message } (the daemon's sentence), whatever was thrown. */
export function failureOf(error: unknown): { code: string; message: string } {
  if (error instanceof BridgeCallError) return { code: error.code, message: error.message };
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}
