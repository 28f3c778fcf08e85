/**
 * What a running sign-in tells its caller, shaped like the CLI's `--json` lines so the CLI prints
 * them as they are and the UI maps them to screens. Never carries a secret.
 */
export type AuthFlowEvent =
  | { readonly event: 'open-url'; readonly url: string }
  | {
      readonly event: 'device-code';
      readonly userCode: string;
      readonly verificationUri: string;
      readonly verificationUriComplete?: string;
      /** Seconds the code stays valid, from when it was issued. */
      readonly expiresIn: number;
      /** Seconds between polls, as currently used (grows with slow_down). */
      readonly interval: number;
    }
  | { readonly event: 'need-code' };

export type AuthFlowListener = (event: AuthFlowEvent) => void;
