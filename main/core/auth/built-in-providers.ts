import { OAUTH_DEFAULTS, type Provider } from './provider-schema.js';

/** The providers the app knows out of the box; providers.json may override any field or add more. */
export const BUILT_IN_PROVIDERS: ReadonlyArray<Provider> = [
  {
    ...OAUTH_DEFAULTS,
    id: 'anthropic',
    name: 'Claude Code',
    description: 'Anthropic Claude with a Pro, Max or Team subscription, or a Console account.',
    brandColor: '#D97757',
    logo: 'anthropic.svg',
    // Anthropic's Claude Code legal and compliance terms (2026-02-19, enforced from 2026-04-04): OAuth
    // for Free/Pro/Max/Team/Enterprise plans is for Claude Code and Claude.ai only; third parties may
    // not offer Claude.ai login or route requests through those credentials. So Claude Code signs in
    // (`claude auth login`) and the app keeps what it stored; the app never runs this OAuth client.
    //
    // What Claude Code 2.1.197 (npm @anthropic-ai/claude-code) does in a pty with CLAUDE_CONFIG_DIR set
    // to an empty folder and no browser: `claude auth login` prints "Opening browser to sign in…", then
    // "If the browser didn't open, visit: https://claude.com/cai/oauth/authorize?code=true&client_id=
    // 9d1c250a-…&response_type=code&redirect_uri=https%3A%2F%2Fplatform.claude.com%2Foauth%2Fcode%2F
    // callback&scope=org%3Acreate_api_key+user%3Aprofile+user%3Ainference+user%3Asessions%3Aclaude_code+
    // user%3Amcp_servers+user%3Afile_upload&code_challenge=…&code_challenge_method=S256&state=…" and
    // "Paste code here if prompted > " on the same line, and waits. A pasted code is exchanged at
    // platform.claude.com; a failure prints "Login failed: <reason>" and exits 1. `--console` prints
    // https://platform.claude.com/oauth/authorize?… instead. `claude setup-token` is a full-screen
    // (Ink) program printing "Browser didn't open? Use the url below to sign in (c to copy)", the URL
    // (scope user:inference only), wrapped at the terminal width, and "Paste code here if prompted >".
    // `claude auth status` prints JSON {loggedIn, authMethod ("claude.ai" | "none" | …), apiProvider,
    // email, orgId, orgName, subscriptionType} and exits 0 when logged in, 1 when not; it reads
    // $CLAUDE_CONFIG_DIR/.credentials.json ({claudeAiOauth: {accessToken, refreshToken, expiresAt,
    // scopes, subscriptionType}}) and the email from $CLAUDE_CONFIG_DIR/.claude.json → oauthAccount.
    methods: ['cli', 'cli-console', 'cli-token', 'import', 'api-key'],
    methodNotes: {
      'cli-token': 'Claude Code makes a long-lived token for your subscription (claude setup-token); Agent Relay keeps it encrypted and gives it only to Claude Code.',
      cli: 'Claude Code signs in (claude auth login) in a terminal here; the login stays in this account’s own Claude Code folder and is used only by Claude Code.',
      'cli-console': 'Claude Code signs in to your Anthropic Console (API billing); the login stays in this account’s own Claude Code folder and is used only by Claude Code.',
      import: 'Copies the login your Claude Code already has into this account’s own folder; your ~/.claude is left untouched and only Claude Code uses it.',
      'api-key': 'An Anthropic API key, kept encrypted by Agent Relay and given to Claude Code when an agent starts.',
      browser: 'An older login made by Agent Relay itself: it keeps working until it expires, then Claude Code signs in again.',
      paste: 'An older login made by Agent Relay itself: it keeps working until it expires, then Claude Code signs in again.',
    },
    // The cheapest authenticated call: one model from the model list (401 for a key it refuses).
    apiKeyCheck: { url: 'https://api.anthropic.com/v1/models?limit=1', auth: 'x-api-key', headers: { 'anthropic-version': '2023-06-01' } },
    loginOwner: 'cli',
    // The CLI's own endpoints as 2.1.197 prints them; kept as facts for reading its files, never called.
    issuer: 'https://claude.com',
    authorizationEndpoint: 'https://claude.com/cai/oauth/authorize',
    tokenEndpoint: 'https://platform.claude.com/v1/oauth/token',
    clientId: '9d1c250a-e61b-44d9-88ed-5944d1962f5e',
    scopes: ['org:create_api_key', 'user:profile', 'user:inference', 'user:sessions:claude_code', 'user:mcp_servers', 'user:file_upload'],
    extraAuthParams: { code: 'true' },
    redirectHost: 'localhost',
    redirectPath: '/callback',
    pasteRedirectUri: 'https://platform.claude.com/oauth/code/callback',
    tokenRequestEncoding: 'json',
    refreshRequestEncoding: 'json',
    stateIsVerifier: true,
    cli: {
      command: 'claude',
      skipPermissionsFlag: '--dangerously-skip-permissions',
      configHomeEnv: 'CLAUDE_CONFIG_DIR',
      credentialsFile: '.credentials.json',
      resumeArgs: ['--continue'],
      sessionsDir: 'projects',
      login: {
        product: 'Claude Code',
        args: { cli: ['auth', 'login', '--claudeai'], 'cli-console': ['auth', 'login', '--console'], 'cli-token': ['setup-token'] },
        // No browser from the CLI: the app shows the URL (and opens it where it can).
        env: { BROWSER: 'none' },
        urlPattern: "(?:visit:|sign in \\(c to copy\\))\\s*(https://\\S+)",
        codePrompt: 'Paste\\s+code\\s+here\\s+if\\s+prompted',
        // `auth login` prints "Login failed: <reason>" and exits 1; `setup-token` prints "OAuth error:
        // <reason>" and "Press Enter to retry." and waits.
        failurePattern: '(?:Login failed|OAuth error)[^\\n]*',
        check: 'claude-auth-status',
        loginFiles: ['.credentials.json'],
      },
    },
  },
  {
    ...OAUTH_DEFAULTS,
    id: 'openai',
    name: 'Codex',
    description: 'OpenAI Codex with a ChatGPT plan.',
    brandColor: '#10A37F',
    logo: 'openai.svg',
    // Codex 0.171.0 `codex login` in a pty prints "Starting local login server on http://localhost:1455."
    // and "If your browser did not open, navigate to this URL to authenticate:" with an
    // https://auth.openai.com/oauth/authorize?… URL (redirect http://127.0.0.1:1455/auth/callback, its
    // own listener), and waits for the browser; `codex login status` exits 0 with "Logged in using
    // ChatGPT" once $CODEX_HOME/auth.json holds a login, 1 with "Not logged in" before.
    methods: ['browser', 'device', 'cli', 'import', 'api-key'],
    methodNotes: {
      cli: 'Codex signs in itself (codex login, with its own browser callback on localhost:1455); the login stays in this account’s own Codex folder and Codex refreshes it.',
      browser: 'Agent Relay signs you in to ChatGPT in your browser (OpenAI allows this for other tools) and keeps the login encrypted, refreshing it for your Codex agents.',
      device: 'Agent Relay shows a code to approve on any device (works over SSH) and keeps the login encrypted, refreshing it for your Codex agents.',
      import: 'Copies the login your Codex already has (~/.codex); your own files are left untouched.',
      'api-key': 'An OpenAI API key, kept encrypted by Agent Relay and given to Codex as OPENAI_API_KEY.',
    },
    // The model list, with the key as a Bearer token (401 for a key it refuses).
    apiKeyCheck: { url: 'https://api.openai.com/v1/models', auth: 'bearer' },
    issuer: 'https://auth.openai.com',
    authorizationEndpoint: 'https://auth.openai.com/oauth/authorize',
    tokenEndpoint: 'https://auth.openai.com/oauth/token',
    clientId: 'app_EMoamEEZ73f0CkXaXp7hrann',
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    extraAuthParams: { id_token_add_organizations: 'true', codex_cli_simplified_flow: 'true' },
    // Codex registers exactly localhost:1455; 1457 is its own fallback when 1455 is taken.
    redirectHost: 'localhost',
    redirectPort: 1455,
    fallbackPorts: [1457],
    redirectPath: '/auth/callback',
    tokenRequestEncoding: 'form',
    refreshRequestEncoding: 'json',
    deviceLogin: 'openai-codex',
    cli: {
      command: 'codex',
      skipPermissionsFlag: '--dangerously-bypass-approvals-and-sandbox',
      configHomeEnv: 'CODEX_HOME',
      credentialsFile: 'auth.json',
      resumeArgs: ['resume', '--last'],
      sessionsDir: 'sessions',
      login: {
        product: 'Codex',
        args: { cli: ['login'] },
        env: { BROWSER: 'none' },
        urlPattern: 'navigate to this URL to authenticate:\\s*(https://\\S+)',
        // Codex takes no pasted code: its own listener gets the browser's answer.
        codePrompt: '(?!)',
        failurePattern: 'Error logging in[^\\n]*',
        check: 'codex-login-status',
        loginFiles: ['auth.json'],
      },
    },
  },
  {
    ...OAUTH_DEFAULTS,
    id: 'google',
    name: 'Gemini',
    description: 'Google Gemini CLI with a Google account.',
    brandColor: '#4285F4',
    logo: 'google.svg',
    // Google has flagged and suspended accounts whose Gemini CLI OAuth client was used from other
    // software. So Gemini CLI signs in itself and the app keeps what it stored.
    //
    // What Gemini CLI 0.61.0 (npm @google/gemini-cli) does in a pty (120×40) with GEMINI_CLI_HOME set
    // to an empty folder and NO_BROWSER=true: it asks "Do you trust the files in this folder?" (skipped
    // with GEMINI_CLI_TRUST_WORKSPACE=true), then "How would you like to authenticate for this
    // project?" (1. Sign in with Google / 2. Use Gemini API Key / 3. Vertex AI; skipped when
    // .gemini/settings.json holds security.auth.selectedType "oauth-personal"), then "Please visit the
    // following URL to authorize the application:", an https://accounts.google.com/o/oauth2/v2/auth?
    // redirect_uri=https%3A%2F%2Fcodeassist.google.com%2Fauthcode&access_type=offline&scope=…&
    // code_challenge_method=S256&…&client_id=681255809395-… URL and "Enter the authorization code: ".
    // A code that fails prints "Failed to authenticate with authorization code:<reason>", then
    // "Failed to authenticate with user code. Retrying..." and a new URL. On success it writes
    // $GEMINI_CLI_HOME/.gemini/oauth_creds.json (0600; access_token, refresh_token, expiry_date, …)
    // and the account's email to .gemini/google_accounts.json ({active, old}).
    methods: ['cli', 'import', 'api-key'],
    methodNotes: {
      cli: 'Gemini CLI signs in with your Google account in a terminal here; the login stays in this account’s own Gemini CLI folder and only Gemini CLI uses it.',
      import: 'Copies the login your Gemini CLI already has into this account’s own folder; your ~/.gemini is left untouched.',
      'api-key': 'A Gemini API key, kept encrypted by Agent Relay and given to Gemini CLI as GEMINI_API_KEY.',
      browser: 'An older login made by Agent Relay itself: it keeps working until it expires, then Gemini CLI signs in again.',
      device: 'An older login made by Agent Relay itself: it keeps working until it expires, then Gemini CLI signs in again.',
    },
    // The Gemini API's model list, one entry (400 API_KEY_INVALID or 403 for a key it refuses).
    apiKeyCheck: { url: 'https://generativelanguage.googleapis.com/v1beta/models?pageSize=1', auth: 'x-goog-api-key' },
    loginOwner: 'cli',
    issuer: 'https://accounts.google.com',
    authorizationEndpoint: 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenEndpoint: 'https://oauth2.googleapis.com/token',
    deviceAuthorizationEndpoint: 'https://oauth2.googleapis.com/device/code',
    revocationEndpoint: 'https://oauth2.googleapis.com/revoke',
    userinfoEndpoint: 'https://openidconnect.googleapis.com/v1/userinfo',
    clientId: '681255809395-oo8ft2oprdrnp9e3aqf6av3hmdib135j.apps.googleusercontent.com',
    // Google's published installed-app secret: not a secret for native apps (RFC 8252 section 8.5).
    clientSecret: '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',
    scopes: [
      'https://www.googleapis.com/auth/cloud-platform',
      'https://www.googleapis.com/auth/userinfo.email',
      'https://www.googleapis.com/auth/userinfo.profile',
    ],
    extraAuthParams: { access_type: 'offline', prompt: 'consent' },
    redirectPath: '/oauth2callback',
    pasteRedirectUri: 'https://codeassist.google.com/authcode',
    cli: {
      command: 'gemini',
      skipPermissionsFlag: '--yolo',
      configHomeEnv: 'GEMINI_CLI_HOME',
      credentialsFile: '.gemini/oauth_creds.json',
      resumeArgs: ['--resume', 'latest'],
      sessionsDir: '.gemini/tmp',
      login: {
        product: 'Gemini CLI',
        args: { cli: [] },
        env: { NO_BROWSER: 'true', GEMINI_CLI_TRUST_WORKSPACE: 'true', GEMINI_FORCE_ENCRYPTED_FILE_STORAGE: 'false' },
        urlPattern: 'authorize the application:\\s*(https://\\S+)',
        codePrompt: 'Enter the authorization code:',
        failurePattern: 'Failed to authenticate[^\\n]*',
        check: 'gemini-credentials',
        loginFiles: ['.gemini/oauth_creds.json', '.gemini/google_accounts.json'],
      },
    },
  },
  {
    ...OAUTH_DEFAULTS,
    id: 'github-copilot',
    name: 'GitHub Copilot',
    description: 'GitHub Copilot CLI with a Copilot subscription.',
    brandColor: '#24292F',
    logo: 'github-copilot.svg',
    methods: ['device', 'import'],
    methodNotes: {
      device: 'Agent Relay shows a GitHub code to approve (GitHub’s device sign-in), keeps the login encrypted and gets Copilot’s short-lived tokens from it for your agents.',
      import: 'Copies the login your Copilot CLI already has; your own files are left untouched.',
    },
    issuer: 'https://github.com',
    authorizationEndpoint: 'https://github.com/login/oauth/authorize',
    tokenEndpoint: 'https://github.com/login/oauth/access_token',
    deviceAuthorizationEndpoint: 'https://github.com/login/device/code',
    clientId: 'Iv1.b507a08c87ecfe98',
    scopes: ['read:user'],
    copilotTokenEndpoint: 'https://api.github.com/copilot_internal/v2/token',
    cli: {
      command: 'copilot',
      skipPermissionsFlag: '--allow-all-tools',
      configHomeEnv: 'XDG_CONFIG_HOME',
      credentialsFile: 'github-copilot/apps.json',
    },
  },
  {
    ...OAUTH_DEFAULTS,
    id: 'qwen',
    name: 'Qwen Code',
    description: 'Alibaba Qwen Code with a qwen.ai account.',
    brandColor: '#615CED',
    logo: 'qwen.svg',
    notice: 'Qwen’s free tier ended on 2026-04-15: signing in works only with a paid plan.',
    methods: ['device', 'api-key'],
    methodNotes: {
      device: 'Agent Relay shows a qwen.ai code to approve and keeps the login encrypted, refreshing it for your Qwen Code agents.',
      'api-key': 'A Qwen API key, kept encrypted by Agent Relay and given to Qwen Code when an agent starts.',
    },
    issuer: 'https://chat.qwen.ai',
    tokenEndpoint: 'https://chat.qwen.ai/api/v1/oauth2/token',
    deviceAuthorizationEndpoint: 'https://chat.qwen.ai/api/v1/oauth2/device/code',
    clientId: 'f0304373b74a44d2b584a3fb70ca9e56',
    scopes: ['openid', 'profile', 'email', 'model.completion'],
    devicePkce: true,
    cli: { command: 'qwen', skipPermissionsFlag: '--yolo', configHomeEnv: 'QWEN_HOME', credentialsFile: 'oauth_creds.json' },
  },
  {
    ...OAUTH_DEFAULTS,
    id: 'ollama',
    kind: 'self-hosted',
    name: 'Ollama',
    description: 'Local models served by Ollama.',
    brandColor: '#1F1F1F',
    logo: 'ollama.svg',
    methods: ['api-key'],
    defaultBaseUrl: 'http://127.0.0.1:11434',
    modelsPath: '/v1/models',
  },
  {
    ...OAUTH_DEFAULTS,
    id: 'lm-studio',
    kind: 'self-hosted',
    name: 'LM Studio',
    description: 'Local models served by LM Studio.',
    brandColor: '#4338CA',
    logo: 'lm-studio.svg',
    methods: ['api-key'],
    defaultBaseUrl: 'http://127.0.0.1:1234',
    modelsPath: '/v1/models',
  },
  {
    ...OAUTH_DEFAULTS,
    id: 'openai-compatible',
    kind: 'self-hosted',
    name: 'OpenAI-compatible endpoint',
    description: 'Any server that speaks the OpenAI API, with an optional key.',
    brandColor: '#6B7280',
    logo: 'openai-compatible.svg',
    methods: ['api-key'],
    defaultBaseUrl: 'http://127.0.0.1:8000',
    modelsPath: '/v1/models',
  },
];
