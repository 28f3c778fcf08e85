import { z } from 'zod';

/** The provider schema: a provider is data, and every endpoint, client id, port and scope can be overridden. */

/**
 * `cli`, `cli-console` and `cli-token` are run by the provider's own CLI in a terminal the app shows
 * (`claude auth login`, `claude auth login --console`, `claude setup-token`, Gemini CLI's Google
 * login); the others are run by the app itself, only where the provider allows other tools to.
 */
export const SignInMethod = z.enum(['cli', 'cli-console', 'cli-token', 'browser', 'device', 'paste', 'import', 'api-key']);
export type SignInMethod = z.infer<typeof SignInMethod>;

const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });
const port = z.number({ error: 'expected a port number' }).int().min(0, 'expected a port from 0 to 65535').max(65535, 'expected a port from 0 to 65535');

/**
 * How the provider's own CLI signs in, as data (its wording changes between versions): the command
 * line per CLI-run method, the env it needs to print a URL instead of opening a browser, the
 * patterns of what it prints, and how the app asks it whether it is signed in.
 */
export const CliLoginSpec = z.object({
  /** Who signs in, for the card: "Claude Code", "Gemini CLI". */
  product: z.string().min(1),
  /** Arguments per CLI-run method, e.g. `cli: ['auth', 'login', '--claudeai']`. */
  args: z.record(z.string(), z.array(z.string())),
  env: z.record(z.string(), z.string()),
  /** A regular expression with one group: the sign-in URL, in the CLI's output with escapes removed. */
  urlPattern: z.string().min(1),
  /** A regular expression matching the CLI's "paste the code" prompt. */
  codePrompt: z.string().min(1),
  /** A regular expression matching the CLI's own failure line. */
  failurePattern: z.string().min(1),
  /** How success is decided: `claude auth status` JSON, or Gemini's credential file. */
  check: z.enum(['claude-auth-status', 'gemini-credentials', 'codex-login-status']),
  /** The files (relative to the config home) that hold the login: backed up encrypted in the vault. */
  loginFiles: z.array(z.string().min(1)).min(1),
});
export type CliLoginSpec = z.infer<typeof CliLoginSpec>;

export const CliSpec = z.object({
  /** Executable the agents issue spawns. */
  command: z.string().min(1),
  /** The flag that lets the agent act without asking; a per-agent choice, never a default. */
  skipPermissionsFlag: z.string().optional(),
  /** Environment variable that points the CLI at its isolated config home. */
  configHomeEnv: z.string().optional(),
  /** Where that CLI keeps its login, relative to its config home (used by import and hand-off). */
  credentialsFile: z.string().optional(),
  /** Set when the CLI signs in itself (Claude, Gemini): the app runs it and keeps what it stored. */
  login: CliLoginSpec.optional(),
  /** Put first on the command line to pick up the last conversation (after a switch of account). */
  resumeArgs: z.array(z.string()).optional(),
  /** Where the CLI keeps conversations, relative to its config home, carried to another account's home. */
  sessionsDir: z.string().optional(),
});
export type CliSpec = z.infer<typeof CliSpec>;

export const ProviderSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a lowercase id (letters, digits, dashes)'),
  name: z.string().min(1, 'expected a non-empty name'),
  description: z.string(),
  brandColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'expected a colour like #D97757'),
  /** File name under assets/providers/. */
  logo: z.string().regex(/^[a-z0-9-]+\.svg$/, 'expected an svg file name like anthropic.svg'),
  /** Shown on the card instead of pretending a login will work (e.g. a free tier that ended). */
  notice: z.string().optional(),
  kind: z.enum(['oauth', 'self-hosted']),
  methods: z.array(SignInMethod).min(1, 'expected at least one sign-in method'),
  /** One line per method for the card: who signs in, where the login is kept. */
  methodNotes: z.record(z.string(), z.string()),
  /**
   * `cli`: the provider allows its subscription login only in its own CLI, so the app never refreshes
   * or uses those tokens itself (a login left from the app's old direct flow runs until it expires).
   */
  loginOwner: z.enum(['app', 'cli']),
  issuer: httpUrl.optional(),
  authorizationEndpoint: httpUrl.optional(),
  tokenEndpoint: httpUrl.optional(),
  deviceAuthorizationEndpoint: httpUrl.optional(),
  revocationEndpoint: httpUrl.optional(),
  userinfoEndpoint: httpUrl.optional(),
  clientId: z.string().min(1).optional(),
  clientSecret: z.string().optional(),
  scopes: z.array(z.string().min(1)),
  extraAuthParams: z.record(z.string(), z.string()),
  redirectHost: z.enum(['127.0.0.1', 'localhost'], { error: 'expected "127.0.0.1" or "localhost"' }),
  /** 0 = any free port. */
  redirectPort: port,
  fallbackPorts: z.array(port),
  redirectPath: z.string().regex(/^\/[A-Za-z0-9/_.-]*$/, 'expected a path starting with /'),
  /** Paste flow: the provider page that shows `code#state` for the user to copy. */
  pasteRedirectUri: httpUrl.optional(),
  /** Encoding of the authorization code exchange. */
  tokenRequestEncoding: z.enum(['form', 'json'], { error: 'expected "form" or "json"' }),
  /** Encoding of refresh requests (OpenAI exchanges form-encoded but refreshes with JSON). */
  refreshRequestEncoding: z.enum(['form', 'json'], { error: 'expected "form" or "json"' }),
  /** Anthropic's well-known clients send the PKCE verifier as `state`. */
  stateIsVerifier: z.boolean(),
  deviceLogin: z.enum(['rfc8628', 'openai-codex'], { error: 'expected "rfc8628" or "openai-codex"' }),
  /** Qwen adds PKCE to its RFC 8628 device flow. */
  devicePkce: z.boolean(),
  /** Copilot's second token, fetched with the GitHub token. */
  copilotTokenEndpoint: httpUrl.optional(),
  /** Self-hosted: where the server listens by default, and the path that lists its models. */
  defaultBaseUrl: httpUrl.optional(),
  modelsPath: z.string().optional(),
  cli: CliSpec.optional(),
  /**
   * The provider's cheapest authenticated call (a model list), made with an API key before it is
   * saved; without one the key is shown "not checked". Set it in providers.json, e.g. for OpenAI
   * {"url": "https://api.openai.com/v1/models", "auth": "bearer"}, Anthropic
   * {"url": "https://api.anthropic.com/v1/models?limit=1", "auth": "x-api-key", "headers": {"anthropic-version": "2023-06-01"}}.
   */
  apiKeyCheck: z
    .object({
      url: httpUrl,
      auth: z.enum(['bearer', 'x-api-key', 'x-goog-api-key'], { error: 'expected "bearer", "x-api-key" or "x-goog-api-key"' }),
      headers: z.record(z.string(), z.string()).optional(),
    })
    .strict()
    .optional(),
});
export type Provider = z.infer<typeof ProviderSchema>;

/** Any field of a provider, as providers.json may give it. */
export const ProviderOverride = ProviderSchema.omit({ id: true }).partial().strict();
export type ProviderOverride = z.infer<typeof ProviderOverride>;

export const ProvidersFile = z
  .object({
    providers: z.record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a lowercase id (letters, digits, dashes)'), ProviderOverride),
  })
  .strict();

/** What every OAuth provider starts from: the built-ins, custom ones and the app's own (sync). */
export const OAUTH_DEFAULTS = {
  kind: 'oauth',
  methodNotes: {},
  loginOwner: 'app',
  scopes: [],
  extraAuthParams: {},
  redirectHost: '127.0.0.1',
  redirectPort: 0,
  fallbackPorts: [],
  redirectPath: '/callback',
  tokenRequestEncoding: 'form',
  refreshRequestEncoding: 'form',
  stateIsVerifier: false,
  deviceLogin: 'rfc8628',
  devicePkce: false,
} as const satisfies Partial<Provider>;
