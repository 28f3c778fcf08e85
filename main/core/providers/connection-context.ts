import type { AccountView, ProvidersState, SignInMethod, SignInProgress } from '../../../preload/contract.js';
import type { AuthError } from '../auth/auth-errors.js';
import type { CliLogin } from '../auth/cli-login.js';
import type { AuthFlowEvent } from '../auth/flow-events.js';
import type { FetchFunction } from '../auth/oauth-client.js';
import type { PasteFlow } from '../auth/paste-code.js';
import type { Provider } from '../auth/provider-registry.js';
import type { ProgressUpdate, SignInFlow, SignInFlows } from '../auth/sign-in-flows.js';
import { BridgeError } from '../bridge/errors.js';
import type { Logger } from '../logging/logger.js';
import type { AuditLog } from '../vault/audit-log.js';
import type { CredentialVault } from '../vault/credential-vault.js';
import type { VaultProblem } from '../vault/vault-types.js';

export interface ProviderConnectionsOptions {
  dataDir: string;
  logger: Logger;
  /** providers.json (default: in the data dir). */
  providersConfig?: string;
  openVault: () => Promise<{ vault: CredentialVault; problem?: VaultProblem }>;
  /** Electron without a real key store: nothing is stored before the user agrees. */
  consentRequired?: boolean;
  /** The user's home, where local CLIs keep the logins that can be imported. */
  home?: string;
  fetch?: FetchFunction;
  /** Opens an authorize or verification page in the system browser (Electron); the UI offers it too. */
  openUrl?: (url: string) => void;
  onChanged: (state: ProvidersState) => void;
  onProgress: (progress: SignInProgress) => void;
}

export interface RunningFlow extends SignInFlow {
  readonly provider: Provider;
  readonly method: SignInMethod;
  readonly account: string | undefined;
  paste?: PasteFlow;
  /** A sign-in run by the provider's own CLI, and the account home it signs in to. */
  cli?: { login: CliLogin; home: string; existing?: string; done: Promise<AccountView> };
}

/** What the parts of ProviderConnections share: its options, vault, audit log and running sign-ins. */
export interface ConnectionContext {
  readonly options: ProviderConnectionsOptions;
  readonly audit: AuditLog;
  /** The user's home (local CLI logins). */
  readonly home: string;
  readonly flows: SignInFlows<RunningFlow>;
  provider(id: string): Provider;
  requireConsent(): Promise<void>;
  vault(): Promise<CredentialVault>;
  /** Sends the new ProvidersState to the UI. */
  changed(): Promise<void>;
  tokensChanged(key: string): void;
  flowEvent(flow: RunningFlow, event: AuthFlowEvent): void;
  finish(flow: RunningFlow, result: { ok: false; error: AuthError }): void;
  progress(flow: RunningFlow, update: ProgressUpdate): void;
}

export const accountKey = (provider: string, accountId: string): string => `${provider}:${accountId}`;

export function raise(error: AuthError): never {
  throw new BridgeError(error.code, error.message);
}
