import type { Generated } from 'kysely';

/** The two databases the server runs on; migrations differ only in column types. */
export type DatabaseKind = 'sqlite' | 'postgres';

/** The tables, the same in SQLite and PostgreSQL (times in ms since the epoch as bigint, or ISO text). */

export interface AccountsTable {
  id: string;
  email: string;
  password_hash: string;
  created_at: string;
}

export interface DevicesTable {
  id: string;
  subject: string;
  name: string;
  created_at: string;
  last_seen: string | null;
  revoked_at: string | null;
  /** The built-in issuer's grant the device signed in with, revoked with the device. */
  grant_id: string | null;
}

export interface VaultsTable {
  subject: string;
  version: number;
  blob: string;
  updated_at: string;
}

export interface KeyEnvelopesTable {
  subject: string;
  version: number;
  envelope: string;
  updated_at: string;
}

export interface LeasesTable {
  subject: string;
  lease_key: string;
  holder: string;
  expires_at: number;
}

export interface AuditEventsTable {
  id: Generated<number>;
  subject: string;
  time: string;
  device_id: string | null;
  action: string;
  detail: string | null;
}

export interface RateWindowsTable {
  subject: string;
  window_start: number;
  count: number;
}

export interface OidcModelsTable {
  model: string;
  /** sha256 of the id: a token's value is its id, and the database must not hold usable tokens. */
  id_hash: string;
  account_id: string | null;
  grant_id: string | null;
  uid: string | null;
  user_code_hash: string | null;
  payload: string;
  expires_at: number | null;
}

export interface ServerSecretsTable {
  name: string;
  value: string;
  created_at: string;
}

export interface Database {
  accounts: AccountsTable;
  devices: DevicesTable;
  vaults: VaultsTable;
  key_envelopes: KeyEnvelopesTable;
  leases: LeasesTable;
  audit_events: AuditEventsTable;
  rate_windows: RateWindowsTable;
  oidc_models: OidcModelsTable;
  server_secrets: ServerSecretsTable;
}
