import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as pty from 'node-pty';
import xtermHeadless from '@xterm/headless';
import { redact } from '../logging/redact.js';
import type { AuthResult } from './auth-errors.js';
import type { AuthFlowListener } from './flow-events.js';
import type { CliLoginSpec, Provider } from './provider-registry.js';

/**
 * Sign-in run by the provider's own CLI (`claude auth login`, Gemini CLI's Google login) in a
 * pseudo-terminal, with the CLI's config home set to the account's own folder. The app reads what
 * the CLI prints (its URL, its "paste the code" prompt), writes the user's code into the CLI's
 * terminal, and decides success by the CLI's own status check. The app never sees the OAuth
 * exchange and opens no listener of its own: the CLI does the sign-in, the app keeps the folder.
 */

/** What the CLI's own status check says about a config home. Never carries a token. */
export interface CliLoginStatus {
  readonly loggedIn: boolean;
  readonly email?: string;
  /** "max", "pro", … as the CLI names it. */
  readonly plan?: string;
  /** "claude.ai", "console", "oauth-personal" … */
  readonly authMethod?: string;
  /** A long-lived token the CLI printed (`claude setup-token`); the CLI does not store it itself. */
  readonly printedToken?: string;
}

export interface CliLoginOptions {
  readonly provider: Provider;
  /** 'cli' | 'cli-console' | 'cli-token': which of the spec's command lines. */
  readonly method: string;
  /** The account's config home (created 0700 when missing). */
  readonly configHome: string;
  /** The CLI's executable, already resolved. */
  readonly executable: string;
  readonly onEvent: AuthFlowListener;
  readonly signal: AbortSignal;
  /** Base environment (the daemon's, minus provider secrets); the config home variable is added. */
  readonly env?: Readonly<Record<string, string>>;
  /** How often the login files are looked at while the CLI waits (ms). */
  readonly pollMs?: number;
  /** Ends the sign-in when nothing happens for this long (ms); default 15 minutes. */
  readonly timeoutMs?: number;
}

export interface CliLogin {
  /** Writes the user's code into the CLI's prompt. */
  submit(code: string): void;
  /** Settles once the CLI's status check says signed in, or the CLI failed / exited / was cancelled. */
  readonly result: Promise<AuthResult<CliLoginStatus>>;
  /** The CLI's recent output, escapes removed and secrets redacted (for "what went wrong"). */
  tail(): string;
}

/** Provider secrets in the daemon's env would override the login the CLI is making. */
const HIDDEN_ENV = [
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_AUTH_TOKEN',
  'CLAUDE_CODE_OAUTH_TOKEN',
  'GEMINI_API_KEY',
  'GOOGLE_API_KEY',
  'GOOGLE_CLOUD_ACCESS_TOKEN',
  'GOOGLE_GENAI_USE_VERTEXAI',
  'GOOGLE_GENAI_USE_GCA',
  'AGENT_RELAY_TOKEN',
];

// CSI, OSC (BEL or ST terminated), other two-byte escapes, and stray control characters but \n.
// eslint-disable-next-line no-control-regex
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[P^_][^\u001b]*\u001b\\|\u001b[@-Z\\-_=>78]|[\u0000-\u0009\u000b-\u001f\u007f]/g;

/** Terminal output as plain text: escapes gone, CRLF as LF. */
export function plainText(output: string): string {
  // Full-screen CLIs (Ink) move the cursor instead of printing spaces: keep a space there.
  // eslint-disable-next-line no-control-regex
  return output.replace(/\r\n?/g, '\n').replace(/\u001b\[\d*[CG]/g, ' ').replace(ESCAPES, '');
}

/** A terminal's scrollback and screen as lines of text (a wrapped row joins the line it continues). */
function screenText(screen: InstanceType<typeof xtermHeadless.Terminal>): string {
  const buffer = screen.buffer.active;
  const lines: string[] = [];
  for (let i = 0; i < buffer.length; i++) {
    const line = buffer.getLine(i);
    if (!line) continue;
    const row = line.translateToString(true);
    if (line.isWrapped && lines.length) lines[lines.length - 1] += row;
    else lines.push(row);
  }
  while (lines.length && !lines[lines.length - 1]) lines.pop();
  return lines.join('\n');
}

/** The environment the CLI runs in: no provider secrets, its config home, and the spec's own variables. */
export function cliEnv(provider: Provider, configHome: string, base: Readonly<Record<string, string>>, spec: CliLoginSpec): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) if (!HIDDEN_ENV.includes(key) && !isCiVariable(key)) env[key] = value;
  if (provider.cli?.configHomeEnv) env[provider.cli.configHomeEnv] = configHome;
  return { ...env, ...spec.env, TERM: env.TERM && env.TERM !== 'dumb' ? env.TERM : 'xterm-256color' };
}

/**
 * The sign-in runs in a terminal the user answers, so it is interactive even when the app was started
 * from CI: CLIs built on Ink's is-in-ci (Gemini CLI) refuse to sign in when they see these.
 */
function isCiVariable(key: string): boolean {
  return key === 'CI' || key === 'CONTINUOUS_INTEGRATION' || key.startsWith('CI_');
}

function processEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  return env;
}

/** Finds a CLI's executable on PATH, then in AGENT_RELAY_CLIS_DIR's node_modules/.bin. */
export function findCliExecutable(command: string, env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  if (command.includes('/') || command.includes('\\')) return fs.existsSync(command) ? command : undefined;
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  if (env.AGENT_RELAY_CLIS_DIR) dirs.push(path.join(env.AGENT_RELAY_CLIS_DIR, 'node_modules', '.bin'));
  const extensions = process.platform === 'win32' ? ['.cmd', '.exe', ''] : [''];
  for (const dir of dirs) {
    for (const ext of extensions) {
      const file = path.join(dir, command + ext);
      try {
        fs.accessSync(file, fs.constants.X_OK);
        if (fs.statSync(file).isFile()) return file;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** Gemini CLI asks which login to use unless its settings already say; the account's home says Google. */
function seedGeminiSettings(configHome: string): void {
  const file = path.join(configHome, '.gemini', 'settings.json');
  let settings: Record<string, unknown> = {};
  try {
    settings = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    // missing or unreadable: start from empty
  }
  const security = (settings.security ?? {}) as Record<string, unknown>;
  const auth = (security.auth ?? {}) as Record<string, unknown>;
  if (auth.selectedType === 'oauth-personal') return;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, JSON.stringify({ ...settings, security: { ...security, auth: { ...auth, selectedType: 'oauth-personal' } } }, null, 2), { mode: 0o600 });
}

/** Fingerprint of the login files, to notice the CLI (or anyone) writing them. */
function loginFilesStamp(configHome: string, files: ReadonlyArray<string>): string {
  return files
    .map((f) => {
      try {
        const s = fs.statSync(path.join(configHome, f));
        return `${f}:${s.size}:${s.mtimeMs}`;
      } catch {
        return `${f}:-`;
      }
    })
    .join('|');
}

/**
 * Asks the CLI (or its files, where the CLI has no status command) whether the config home is
 * signed in. For Claude Code: `claude auth status` (JSON, exit 0 when logged in).
 */
export async function checkCliLogin(
  provider: Provider,
  configHome: string,
  options: { executable?: string; env?: Readonly<Record<string, string>> } = {},
): Promise<CliLoginStatus> {
  const spec = provider.cli?.login;
  if (!spec) return { loggedIn: false };
  if (spec.check === 'gemini-credentials') return geminiStatus(configHome);
  if (spec.check === 'codex-login-status') return codexStatus(provider, configHome, options);
  const executable = options.executable ?? findCliExecutable(provider.cli!.command);
  if (!executable) return { loggedIn: false };
  const env = cliEnv(provider, configHome, options.env ?? processEnv(), spec);
  return new Promise((resolve) => {
    execFile(executable, ['auth', 'status', '--json'], { env, timeout: 30_000, maxBuffer: 1024 * 1024 }, (_error, stdout) => {
      try {
        const status = JSON.parse(String(stdout)) as { loggedIn?: unknown; authMethod?: unknown; email?: unknown; subscriptionType?: unknown };
        resolve({
          loggedIn: status.loggedIn === true,
          ...(typeof status.email === 'string' && status.email ? { email: status.email } : {}),
          ...(typeof status.subscriptionType === 'string' && status.subscriptionType ? { plan: status.subscriptionType } : {}),
          ...(typeof status.authMethod === 'string' ? { authMethod: status.authMethod } : {}),
        });
      } catch {
        resolve({ loggedIn: false });
      }
    });
  });
}

/** `codex login status`: exit 0 and "Logged in using ChatGPT"; the email and plan from its id_token. */
async function codexStatus(provider: Provider, configHome: string, options: { executable?: string; env?: Readonly<Record<string, string>> }): Promise<CliLoginStatus> {
  const executable = options.executable ?? findCliExecutable(provider.cli!.command);
  if (!executable) return { loggedIn: false };
  const env = cliEnv(provider, configHome, options.env ?? processEnv(), provider.cli!.login!);
  const loggedIn = await new Promise<boolean>((resolve) =>
    execFile(executable, ['login', 'status'], { env, timeout: 30_000 }, (error, stdout, stderr) => resolve(!error && /Logged in/.test(`${stdout}${stderr}`))),
  );
  if (!loggedIn) return { loggedIn: false };
  try {
    const auth = JSON.parse(fs.readFileSync(path.join(configHome, 'auth.json'), 'utf8')) as { tokens?: { id_token?: string } };
    const payload = JSON.parse(Buffer.from(auth.tokens?.id_token?.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      email?: string;
      'https://api.openai.com/auth'?: { chatgpt_plan_type?: string };
    };
    const plan = payload['https://api.openai.com/auth']?.chatgpt_plan_type;
    return { loggedIn: true, authMethod: 'chatgpt', ...(payload.email ? { email: payload.email } : {}), ...(plan ? { plan } : {}) };
  } catch {
    return { loggedIn: true, authMethod: 'chatgpt' };
  }
}

function geminiStatus(configHome: string): CliLoginStatus {
  try {
    const creds = JSON.parse(fs.readFileSync(path.join(configHome, '.gemini', 'oauth_creds.json'), 'utf8')) as Record<string, unknown>;
    if (typeof creds.refresh_token !== 'string' && typeof creds.access_token !== 'string') return { loggedIn: false };
    let email: string | undefined;
    try {
      const accounts = JSON.parse(fs.readFileSync(path.join(configHome, '.gemini', 'google_accounts.json'), 'utf8')) as { active?: unknown };
      if (typeof accounts.active === 'string' && accounts.active) email = accounts.active;
    } catch {
      // no cached account: the email may be in the id token
    }
    if (!email && typeof creds.id_token === 'string') email = emailFromIdToken(creds.id_token);
    return { loggedIn: true, authMethod: 'oauth-personal', ...(email ? { email } : {}) };
  } catch {
    return { loggedIn: false };
  }
}

function emailFromIdToken(idToken: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { email?: unknown };
    return typeof payload.email === 'string' ? payload.email : undefined;
  } catch {
    return undefined;
  }
}

const SETUP_TOKEN = /\b(sk-ant-oat01-[A-Za-z0-9_-]{20,})/;

/** Starts the CLI's login in a pty; progress goes to onEvent, the outcome to `result`. */
export function startCliLogin(options: CliLoginOptions): CliLogin {
  const { provider, configHome } = options;
  const spec = provider.cli?.login;
  const args = spec?.args[options.method];
  if (!spec || !args) {
    const result = Promise.resolve<AuthResult<CliLoginStatus>>({
      ok: false,
      error: { code: 'method_not_supported', message: `${provider.name} has no CLI-run sign-in for ${options.method}.` },
    });
    return { submit: () => undefined, result, tail: () => '' };
  }
  fs.mkdirSync(configHome, { recursive: true, mode: 0o700 });
  if (spec.check === 'gemini-credentials') seedGeminiSettings(configHome);
  const env = cliEnv(provider, configHome, options.env ?? processEnv(), spec);
  const urlPattern = new RegExp(spec.urlPattern, 'g');
  const codePrompt = new RegExp(spec.codePrompt);
  const failurePattern = new RegExp(spec.failurePattern);

  let text = '';
  let lastUrl: string | undefined;
  let asked = false;
  let settled = false;
  let checking = false;
  let printedToken: string | undefined;
  let submitted: string | undefined;
  const startStamp = loginFilesStamp(configHome, spec.loginFiles);
  let resolveResult!: (r: AuthResult<CliLoginStatus>) => void;
  const result = new Promise<AuthResult<CliLoginStatus>>((resolve) => (resolveResult = resolve));

  // Wide, so the CLI never wraps its URL across lines.
  const term = pty.spawn(options.executable, args, { name: env.TERM ?? 'xterm-256color', cols: 1000, rows: 50, cwd: configHome, env });
  // What the CLI shows, read off a terminal of the same size: full-screen CLIs (Ink) redraw only the
  // cells that changed, so the text is only right on a screen, never in the raw stream.
  const screen = new xtermHeadless.Terminal({ cols: 1000, rows: 50, scrollback: 2000, allowProposedApi: true });
  let exited = false;
  const exit = new Promise<number>((resolve) =>
    term.onExit(({ exitCode }) => {
      exited = true;
      // Everything the CLI printed is on the screen before its exit is looked at.
      screen.write('', () => {
        resolve(exitCode);
        screen.dispose();
      });
    }),
  );

  const tail = (): string =>
    redact(
      text
        .split('\n')
        .map((line) => line.trimEnd())
        // Spinner frames say nothing; the code the user typed is not repeated back.
        .filter((line) => line.trim().length > 2 && !(submitted && line.includes(submitted.slice(1))))
        // The sign-in URL is shown above the output already; a 500-character line only hides the reason.
        .map((line) => (line.length > 240 && line.includes('https://') ? line.replace(/https:\/\/\S+/g, (url) => `${url.slice(0, 60)}…`) : line))
        .slice(-12)
        .join('\n'),
    ).slice(-2000);

  const finish = (outcome: AuthResult<CliLoginStatus>) => {
    if (settled) return;
    settled = true;
    clearInterval(poll);
    clearTimeout(timer);
    options.signal.removeEventListener('abort', onAbort);
    if (!exited) {
      try {
        term.kill();
      } catch {
        // already gone
      }
    }
    // Resolve once the CLI is gone, so its files are no longer being written.
    const grace = setTimeout(() => resolveResult(outcome), 3000);
    void exit.then(() => {
      clearTimeout(grace);
      resolveResult(outcome);
    });
  };

  const failWith = (reason: string) => {
    const shown = tail();
    finish({ ok: false, error: { code: 'cli_login_failed', message: `${reason}${shown ? ` Here is what ${spec.product} printed:\n\n${shown}` : ''}` } });
  };

  const check = async (why: 'files' | 'exit', exitCode?: number) => {
    if (settled || checking) return;
    checking = true;
    try {
      if (options.method === 'cli-token') {
        if (printedToken) finish({ ok: true, value: { loggedIn: true, authMethod: 'setup-token', printedToken } });
        else if (why === 'exit') failWith(`${spec.product} stopped (exit code ${exitCode}) without making a token.`);
        return;
      }
      const status = await checkCliLogin(provider, configHome, { executable: options.executable, env: options.env ?? processEnv() });
      if (settled) return;
      if (status.loggedIn) finish({ ok: true, value: status });
      else if (why === 'exit') failWith(`${spec.product} stopped without signing in (exit code ${exitCode}).`);
    } finally {
      checking = false;
    }
  };

  const read = () => {
    text = screenText(screen);
    const url = [...text.slice(-16 * 1024).matchAll(urlPattern)].at(-1)?.[1];
    if (url && url !== lastUrl) {
      lastUrl = url;
      asked = false;
      options.onEvent({ event: 'open-url', url: lastUrl });
    }
    if (lastUrl && !asked && codePrompt.test(text.slice(text.lastIndexOf(lastUrl)))) {
      asked = true;
      options.onEvent({ event: 'need-code' });
    }
    const token = printedToken ? undefined : SETUP_TOKEN.exec(text);
    if (token?.[1]) {
      printedToken = token[1];
      void check('files');
    }
    if (failurePattern.test(text)) {
      // The CLI would offer to start over (Gemini with a new URL, setup-token on Enter); end here and
      // say why, in its words.
      failWith(`${spec.product} could not finish the sign-in with that code.`);
    }
  };
  term.onData((data) => screen.write(data, read));
  void exit.then((code) => check('exit', code));

  const poll = setInterval(() => {
    if (loginFilesStamp(configHome, spec.loginFiles) !== startStamp) void check('files');
  }, options.pollMs ?? 500);
  const timer = setTimeout(() => failWith(`${spec.product} waited 15 minutes for a code and was stopped.`), options.timeoutMs ?? 15 * 60_000);
  const onAbort = () => finish({ ok: false, error: { code: 'cancelled', message: 'The sign-in was cancelled.' } });
  options.signal.addEventListener('abort', onAbort, { once: true });

  return {
    submit(code: string) {
      if (settled || exited) return;
      // One line: a code never carries a newline into the CLI's prompt.
      const clean = code.replace(/[\r\n]+/g, '').trim();
      submitted = clean.length >= 6 ? clean : undefined;
      term.write(clean);
      // The Enter separately, so full-screen CLIs read the code as typed text, not as a paste.
      setTimeout(() => {
        if (!exited) term.write('\r');
      }, 150);
    },
    result,
    tail,
  };
}
