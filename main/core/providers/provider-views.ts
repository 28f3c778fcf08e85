import fs from 'node:fs';
import type { AccountView, ProviderView } from '../../../preload/contract.js';
import type { Provider } from '../auth/provider-registry.js';
import { tildePath } from '../credentials/cli-credentials.js';
import type { AccountSummary, KeyCheck } from '../vault/vault-types.js';
import { IMPORTERS } from './local-login-import.js';
import type { UsageLimitNotice } from './usage-limits.js';

/** Keys saved before the check was recorded: the key check wrote exactly this source line, and only when the key was accepted. */
const LEGACY_ACCEPTED_SOURCE = /^via API key, accepted by \S+$/;

/** Whether an API key was checked when it was saved; a key with no record of a check was not checked. */
function keyCheckOf(summary: AccountSummary): KeyCheck | undefined {
  if (summary.method !== 'api-key') return undefined;
  if (summary.keyCheck) return summary.keyCheck;
  return LEGACY_ACCEPTED_SOURCE.test(summary.source ?? '') ? 'accepted' : 'not-checked';
}

export function accountView(summary: AccountSummary, limit?: UsageLimitNotice): AccountView {
  const keyCheck = keyCheckOf(summary);
  return {
    ...(summary.signedInBy ? { signedInBy: summary.signedInBy } : {}),
    ...(summary.configHome ? { configHome: summary.configHome } : {}),
    ...(limit ? { usageLimit: { ...limit } } : {}),
    provider: summary.provider,
    accountId: summary.accountId,
    name: summary.name,
    ...(summary.email ? { email: summary.email } : {}),
    ...(summary.plan ? { plan: summary.plan } : {}),
    method: summary.method,
    ...(summary.source ? { source: summary.source } : {}),
    ...(keyCheck ? { keyCheck } : {}),
    ...(summary.expiresAt !== undefined ? { expiresAt: summary.expiresAt } : {}),
    state: summary.state,
    ...(summary.stateReason ? { stateReason: summary.stateReason } : {}),
    updatedAt: summary.updatedAt,
    isDefault: summary.isDefault,
    canRefresh: summary.canRefresh,
  };
}

/** A provider's card: what it offers, whether a local login can be imported, and its accounts. */
export function providerView(p: Provider, accounts: ReadonlyArray<AccountView>, home: string): ProviderView {
  const importer = IMPORTERS[p.id];
  const importFile = importer && p.methods.includes('import') ? importer.file(home) : undefined;
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    brandColor: p.brandColor,
    logo: p.logo,
    kind: p.kind,
    ...(p.notice ? { notice: p.notice } : {}),
    methods: [...p.methods],
    methodNotes: { ...p.methodNotes },
    ...(p.cli?.login ? { signInBy: p.cli.login.product } : {}),
    ...(p.cli ? { cli: { command: p.cli.command, ...(p.cli.skipPermissionsFlag ? { skipPermissionsFlag: p.cli.skipPermissionsFlag } : {}) } } : {}),
    ...(importFile && fs.existsSync(importFile) ? { importSource: tildePath(importFile, home) } : {}),
    ...(p.defaultBaseUrl ? { defaultBaseUrl: p.defaultBaseUrl } : {}),
    accounts: accounts.filter((a) => a.provider === p.id),
  };
}
