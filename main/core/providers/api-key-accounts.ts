import type { AccountView } from '../../../preload/contract.js';
import { checkApiKey } from '../auth/api-key-check.js';
import type { Provider } from '../auth/provider-registry.js';
import { checkSelfHostedEndpoint } from '../auth/self-hosted.js';
import { BridgeError } from '../bridge/errors.js';
import type { KeyCheck } from '../vault/vault-types.js';
import { raise, type ConnectionContext } from './connection-context.js';
import { accountView } from './provider-views.js';

/** Accounts that are a key, not a sign-in: API keys and self-hosted endpoints. */
export class ApiKeyAccounts {
  constructor(private readonly ctx: ConnectionContext) {}

  async saveApiKey(request: { provider: string; apiKey: string; account?: string; baseUrl?: string }): Promise<AccountView> {
    const provider = this.ctx.provider(request.provider);
    if (!provider.methods.includes('api-key')) throw new BridgeError('method_not_supported', `${provider.name} does not take an API key.`);
    await this.ctx.requireConsent();
    const { source, keyCheck } = await this.checkKey(provider, request);
    const vault = await this.ctx.vault();
    const summary = await vault.upsert({
      provider: provider.id,
      name: request.account ?? 'API key',
      method: 'api-key',
      source,
      secrets: { apiKey: request.apiKey },
      meta: { keyCheck, ...(request.baseUrl ? { baseUrl: request.baseUrl } : {}) },
    });
    this.ctx.audit.record({ action: 'connect', provider: provider.id, account: summary.accountId, method: 'api-key', outcome: 'ok' });
    await this.ctx.changed();
    return accountView(summary);
  }

  /**
   * Asks the provider whether it takes the key (its cheapest authenticated call, from the registry)
   * and says what came of it; a key it refuses is not saved. Keys for a custom base URL, for providers
   * without such a call, or while the provider cannot be reached are saved as "not checked".
   */
  private async checkKey(provider: Provider, request: { apiKey: string; baseUrl?: string }): Promise<{ source: string; keyCheck: KeyCheck }> {
    const notChecked = (source: string) => ({ source, keyCheck: 'not-checked' as const });
    if (!provider.apiKeyCheck) return notChecked('via API key, not checked');
    if (request.baseUrl) return notChecked(`via API key, not checked (sent to ${request.baseUrl})`);
    const check = await checkApiKey(provider.apiKeyCheck, request.apiKey, provider.name, this.ctx.options.fetch ? { fetch: this.ctx.options.fetch } : {});
    if (check.ok) return { source: `via API key, accepted by ${check.value.host}`, keyCheck: 'accepted' };
    if (check.error.code === 'network_error') return notChecked(`via API key, not checked: ${check.error.message.replace(/\.$/, '')}`);
    raise(check.error);
  }

  async connectSelfHosted(request: { provider: string; baseUrl: string; apiKey?: string; account?: string }): Promise<AccountView> {
    const provider = this.ctx.provider(request.provider);
    if (provider.kind !== 'self-hosted') throw new BridgeError('method_not_supported', `${provider.name} is not a self-hosted endpoint.`);
    await this.ctx.requireConsent();
    const check = await checkSelfHostedEndpoint({
      baseUrl: request.baseUrl,
      ...(request.apiKey ? { apiKey: request.apiKey } : {}),
      ...(provider.modelsPath ? { modelsPath: provider.modelsPath } : {}),
      ...(this.ctx.options.fetch ? { fetch: this.ctx.options.fetch } : {}),
    });
    if (!check.ok) raise(check.error);
    const models = check.value.models;
    const vault = await this.ctx.vault();
    const summary = await vault.upsert({
      provider: provider.id,
      accountId: request.account ?? request.baseUrl,
      name: request.account ?? request.baseUrl,
      plan: `${models.length} model${models.length === 1 ? '' : 's'}`,
      method: 'self-hosted',
      meta: { baseUrl: request.baseUrl, models: models.slice(0, 50).join(',') },
      secrets: request.apiKey ? { apiKey: request.apiKey } : {},
    });
    this.ctx.audit.record({ action: 'connect', provider: provider.id, account: summary.accountId, method: 'self-hosted', outcome: 'ok' });
    await this.ctx.changed();
    return accountView(summary);
  }
}
