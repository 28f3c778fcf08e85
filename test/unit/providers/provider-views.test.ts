import { describe, expect, it } from 'vitest';
import { accountView } from '../../../main/core/providers/provider-views.js';
import type { AccountSummary } from '../../../main/core/vault/vault-types.js';

const summary = (over: Partial<AccountSummary>): AccountSummary => ({
  provider: 'anthropic',
  accountId: 'work',
  name: 'work',
  method: 'api-key',
  state: 'connected',
  updatedAt: 1,
  isDefault: true,
  canRefresh: false,
  ...over,
});

describe('an account view says whether its API key was checked', () => {
  it('as the vault kept it when the key was saved', () => {
    expect(accountView(summary({ keyCheck: 'accepted', source: 'via API key' })).keyCheck).toBe('accepted');
    expect(accountView(summary({ keyCheck: 'not-checked', source: 'via API key, accepted by nowhere' })).keyCheck).toBe('not-checked');
  });

  it('not checked when nothing recorded a check', () => {
    expect(accountView(summary({ source: 'via API key' })).keyCheck).toBe('not-checked');
    expect(accountView(summary({ source: 'via API key, not checked (api.example.com did not answer)' })).keyCheck).toBe('not-checked');
    expect(accountView(summary({ source: 'via API key, accepted by api.anthropic.com and more' })).keyCheck).toBe('not-checked');
  });

  it('accepted for a key saved before the check was recorded, whose source line the check wrote on acceptance', () => {
    expect(accountView(summary({ source: 'via API key, accepted by api.anthropic.com' })).keyCheck).toBe('accepted');
  });

  it('not at all for an account that is not a key', () => {
    expect(accountView(summary({ method: 'import', source: 'imported from ~/.claude/.credentials.json' }))).not.toHaveProperty('keyCheck');
  });
});
