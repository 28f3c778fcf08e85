import type { AccountView, SignInMethod } from '../../../preload/contract.js';
import type { AuthError, AuthResult } from '../auth/auth-errors.js';
import { signInWithBrowser } from '../auth/browser-flow.js';
import { signInWithCodexDeviceCode } from '../auth/codex-device-flow.js';
import { signInWithDeviceCode } from '../auth/device-flow.js';
import type { AuthFlowEvent } from '../auth/flow-events.js';
import { startPasteCodeFlow } from '../auth/paste-code.js';
import type { TokenSet } from '../auth/token-set.js';
import type { CliSignIns } from './cli-sign-in.js';
import type { ConnectionContext, RunningFlow } from './connection-context.js';
import { importLocalLogin, type ObtainedLogin } from './local-login-import.js';
import { accountView } from './provider-views.js';

const fromTokens = (result: AuthResult<TokenSet>): AuthResult<ObtainedLogin> => (result.ok ? { ok: true, value: { tokens: result.value } } : result);

/** Runs a sign-in flow to its end: the app's own OAuth flows (browser, device, paste), imports, and the CLI-run ones via CliSignIns. */
export class SignInRunner {
  constructor(
    private readonly ctx: ConnectionContext,
    private readonly cli: CliSignIns,
  ) {}

  async run(flow: RunningFlow): Promise<void> {
    const { provider, abort } = flow;
    const onEvent = (event: AuthFlowEvent) => this.ctx.flowEvent(flow, event);
    const common = { provider, onEvent, signal: abort.signal, ...(this.ctx.options.fetch ? { fetch: this.ctx.options.fetch } : {}) };
    let result: AuthResult<ObtainedLogin>;
    try {
      switch (flow.method) {
        case 'cli':
        case 'cli-console':
        case 'cli-token':
          await this.cli.runCliLogin(flow);
          return;
        case 'browser':
          result = fromTokens(await signInWithBrowser({ ...common, logger: this.ctx.options.logger.child('sign-in') }));
          break;
        case 'device':
          result = fromTokens(provider.deviceLogin === 'openai-codex' ? await signInWithCodexDeviceCode(common) : await signInWithDeviceCode(common));
          break;
        case 'paste': {
          const started = await startPasteCodeFlow(common);
          if (!started.ok) {
            result = started;
            break;
          }
          flow.paste = started.value;
          // The rest happens in submitCode.
          return;
        }
        case 'import':
          if (provider.loginOwner === 'cli' && provider.cli?.login) {
            await this.cli.importIntoAccountHome(flow);
            return;
          }
          result = importLocalLogin(provider, this.ctx.home);
          break;
        case 'api-key':
          result = { ok: false, error: { code: 'method_not_supported', message: 'An API key is saved directly, not through a sign-in flow.' } };
          break;
      }
    } catch (error) {
      this.ctx.options.logger.error('sign-in failed unexpectedly', { provider: provider.id, error });
      result = { ok: false, error: { code: 'provider_error', message: `Sign-in to ${provider.name} failed unexpectedly; the details are in the log.` } };
    }
    if (!this.ctx.flows.has(flow.id)) return; // cancelled meanwhile
    if (!result.ok) {
      this.ctx.finish(flow, result);
      return;
    }
    try {
      const account = await this.store(flow, result.value, flow.method);
      this.ctx.flows.delete(flow.id);
      this.ctx.progress(flow, { phase: 'connected', account });
    } catch (error) {
      this.ctx.finish(flow, { ok: false, error: { code: (error as { code?: AuthError['code'] }).code ?? 'provider_error', message: (error as Error).message } });
    }
  }

  async store(flow: RunningFlow, login: ObtainedLogin, method: SignInMethod): Promise<AccountView> {
    const { tokens } = login;
    const vault = await this.ctx.vault();
    const label = flow.account ?? tokens?.account?.email ?? tokens?.account?.name ?? tokens?.account?.subject ?? 'default';
    const summary = await vault.upsert({
      provider: flow.provider.id,
      accountId: label,
      name: label,
      ...(tokens?.account?.email ? { email: tokens.account.email } : {}),
      ...(login.plan ? { plan: login.plan } : {}),
      method,
      ...(login.source ? { source: login.source } : {}),
      secrets: {
        ...(login.apiKey ? { apiKey: login.apiKey } : {}),
        ...(tokens
          ? {
              accessToken: tokens.accessToken,
              ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
              ...(tokens.idToken ? { idToken: tokens.idToken } : {}),
              ...(tokens.expiresAt !== undefined ? { expiresAt: tokens.expiresAt } : {}),
              ...(tokens.scope ? { scope: tokens.scope } : {}),
              ...(tokens.tokenType ? { tokenType: tokens.tokenType } : {}),
            }
          : {}),
      },
      state: 'connected',
    });
    this.ctx.audit.record({
      action: method === 'import' ? 'import' : 'connect',
      provider: flow.provider.id,
      account: summary.accountId,
      method,
      outcome: 'ok',
      ...(login.source ? { detail: login.source } : {}),
    });
    await this.ctx.changed();
    return accountView(summary);
  }
}
