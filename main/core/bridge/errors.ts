import type { BridgeErrorShape, ErrorCode } from '../../../preload/contract.js';

/** An error that carries a code the UI can act on and a sentence a person can read. */
export class BridgeError extends Error {
  constructor(
    readonly code: ErrorCode | (string & {}),
    message: string,
  ) {
    super(message);
    this.name = 'BridgeError';
  }

  toShape(): BridgeErrorShape {
    return { code: this.code, message: this.message };
  }
}
