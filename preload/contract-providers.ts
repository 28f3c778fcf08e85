/**
 * The bridge contract's provider part: what the UI may know about providers, accounts and sign-ins
 * (re-exported by contract.ts, the one source of the API). Never a token, key or code.
 */
import { z } from 'zod';

/**
 * `cli*`: the provider's own CLI signs in, in a terminal the daemon runs (`claude auth login`,
 * `--console`, `claude setup-token`, Gemini CLI's Google login); the app keeps what it stored.
 */
export const SignInMethod = z.enum(['cli', 'cli-console', 'cli-token', 'browser', 'device', 'paste', 'import', 'api-key']);
export type SignInMethod = z.infer<typeof SignInMethod>;

/** What the UI may know about a connected account: never a token or key. */
export const AccountView = z.object({
  provider: z.string(),
  accountId: z.string(),
  name: z.string(),
  email: z.string().optional(),
  plan: z.string().optional(),
  method: z.enum(['cli', 'cli-console', 'cli-token', 'browser', 'device', 'paste', 'import', 'api-key', 'self-hosted']),
  /** Who made and refreshes this login when it is not the app: "Claude Code", "Gemini CLI". */
  signedInBy: z.string().optional(),
  /** The account's own config home, shared by its agents (a path in the data folder). */
  configHome: z.string().optional(),
  /** The last usage or rate limit an agent of this account hit, and when it resets if the CLI said. */
  usageLimit: z.object({ message: z.string(), at: z.number(), resetsAt: z.number().optional(), resetText: z.string().optional() }).optional(),
  /** e.g. "imported from ~/.claude/.credentials.json" */
  source: z.string().optional(),
  /**
   * An API key only: 'accepted' when the provider took it at saving, 'not-checked' when it was saved
   * without a check (no check for that provider, a custom address, or the provider could not be reached).
   */
  keyCheck: z.enum(['accepted', 'not-checked']).optional(),
  expiresAt: z.number().optional(),
  state: z.enum(['connected', 'needs_signin', 'error']),
  stateReason: z.string().optional(),
  updatedAt: z.number(),
  isDefault: z.boolean(),
  canRefresh: z.boolean(),
});
export type AccountView = z.infer<typeof AccountView>;

export const ProviderView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  brandColor: z.string(),
  logo: z.string(),
  kind: z.enum(['oauth', 'self-hosted']),
  /** Shown instead of pretending a sign-in will work (e.g. a free tier that ended). */
  notice: z.string().optional(),
  methods: z.array(SignInMethod),
  /** One line per method: who signs in, where the login is kept. */
  methodNotes: z.record(z.string(), z.string()).optional(),
  /** The provider's own CLI that signs in for its `cli*` methods ("Claude Code"). */
  signInBy: z.string().optional(),
  /** The command-line agent Agent Relay can start signed in to this provider, and its act-without-asking flag. */
  cli: z.object({ command: z.string(), skipPermissionsFlag: z.string().optional() }).optional(),
  /** Where an existing CLI login was found, for "Import from …"; absent when there is none. */
  importSource: z.string().optional(),
  defaultBaseUrl: z.string().optional(),
  accounts: z.array(AccountView),
});
export type ProviderView = z.infer<typeof ProviderView>;

export const VaultStatus = z.object({
  /** 'weaker': secrets are not sealed by an OS key store (headless: a key file; Electron on Linux without a keyring: a fixed key). */
  protection: z.enum(['os-keystore', 'weaker']),
  /** When 'weaker': what really protects the secrets, as a sentence to show. */
  protectionDetail: z.string().optional(),
  /** The user must agree before anything is stored (Electron without a real key store). */
  consentRequired: z.boolean(),
  /** A vault that could not be read, kept aside: what happened and where the copy is. */
  problem: z.string().optional(),
});
export type VaultStatus = z.infer<typeof VaultStatus>;

export const ProvidersState = z.object({
  providers: z.array(ProviderView),
  vault: VaultStatus,
  /** providers.json problems, each naming the file, the key and what was expected. */
  configProblems: z.array(z.string()),
});
export type ProvidersState = z.infer<typeof ProvidersState>;

/** Progress of one sign-in, pushed as it happens. No secret is ever in it. */
export const SignInProgress = z.object({
  flowId: z.string(),
  provider: z.string(),
  method: SignInMethod,
  phase: z.enum(['starting', 'open-url', 'device-code', 'need-code', 'connected', 'error', 'cancelled']),
  url: z.string().optional(),
  userCode: z.string().optional(),
  verificationUri: z.string().optional(),
  verificationUriComplete: z.string().optional(),
  /** Epoch ms when the device code stops working. */
  expiresAt: z.number().optional(),
  interval: z.number().optional(),
  account: AccountView.optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type SignInProgress = z.infer<typeof SignInProgress>;

