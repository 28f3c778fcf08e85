import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../database/schema.js';

/** Everything here is keyed by the token's subject: no query reads or writes another subject's rows. */

export type AuditAction =
  | 'device_registered'
  | 'device_revoked'
  | 'vault_written'
  | 'vault_conflict'
  | 'key_written'
  | 'key_conflict'
  | 'lease_granted'
  | 'lease_denied'
  | 'lease_released'
  | 'data_removed';

export interface Device {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly lastSeen: string | null;
  readonly revoked: boolean;
}

export type DeviceState = { readonly kind: 'active'; readonly grantId: string | null } | { readonly kind: 'revoked' } | { readonly kind: 'unknown' };

export type WriteOutcome<T> = { readonly ok: true; readonly version: number } | { readonly ok: false; readonly version: number; readonly current: T | null };

export type LeaseOutcome = { readonly granted: true; readonly expiresAt: number } | { readonly granted: false; readonly holder: string; readonly expiresAt: number };

export class SyncStore {
  constructor(private readonly db: Kysely<Database>) {}

  async audit(subject: string, deviceId: string | null, action: AuditAction, detail?: string): Promise<void> {
    await this.db.insertInto('audit_events').values({ subject, time: new Date().toISOString(), device_id: deviceId, action, detail: detail ?? null }).execute();
  }

  async auditEvents(subject: string, limit: number): Promise<ReadonlyArray<{ time: string; deviceId: string | null; action: string; detail?: string }>> {
    const rows = await this.db.selectFrom('audit_events').select(['time', 'device_id', 'action', 'detail']).where('subject', '=', subject).orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => ({ time: r.time, deviceId: r.device_id, action: r.action, ...(r.detail !== null ? { detail: r.detail } : {}) }));
  }

  // Devices

  async registerDevice(subject: string, name: string, grantId: string | null): Promise<Device> {
    const device = { id: randomUUID(), subject, name, created_at: new Date().toISOString(), last_seen: new Date().toISOString(), revoked_at: null, grant_id: grantId };
    await this.db.insertInto('devices').values(device).execute();
    return { id: device.id, name, createdAt: device.created_at, lastSeen: device.last_seen, revoked: false };
  }

  async listDevices(subject: string): Promise<ReadonlyArray<Device>> {
    const rows = await this.db.selectFrom('devices').selectAll().where('subject', '=', subject).orderBy('created_at').execute();
    return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, lastSeen: r.last_seen, revoked: r.revoked_at !== null }));
  }

  /** The state of the device named by X-Device-Id, touching its last-seen time when it is active. */
  async touchDevice(subject: string, deviceId: string): Promise<DeviceState> {
    const row = await this.db.selectFrom('devices').select(['revoked_at', 'grant_id']).where('subject', '=', subject).where('id', '=', deviceId).executeTakeFirst();
    if (!row) return { kind: 'unknown' };
    if (row.revoked_at !== null) return { kind: 'revoked' };
    await this.db.updateTable('devices').set({ last_seen: new Date().toISOString() }).where('subject', '=', subject).where('id', '=', deviceId).execute();
    return { kind: 'active', grantId: row.grant_id };
  }

  /** Marks the device revoked; returns its grant so the caller can end its sign-in, or undefined if unknown. */
  async revokeDevice(subject: string, deviceId: string): Promise<{ grantId: string | null } | undefined> {
    const row = await this.db.selectFrom('devices').select(['grant_id', 'revoked_at']).where('subject', '=', subject).where('id', '=', deviceId).executeTakeFirst();
    if (!row) return undefined;
    if (row.revoked_at === null) {
      await this.db.updateTable('devices').set({ revoked_at: new Date().toISOString() }).where('subject', '=', subject).where('id', '=', deviceId).execute();
    }
    await this.db.deleteFrom('leases').where('subject', '=', subject).where('holder', '=', deviceId).execute();
    return { grantId: row.grant_id };
  }

  // Vault

  async readVault(subject: string): Promise<{ version: number; blob: string | null; updatedAt: string | null }> {
    const row = await this.db.selectFrom('vaults').selectAll().where('subject', '=', subject).executeTakeFirst();
    return row ? { version: row.version, blob: row.blob, updatedAt: row.updated_at } : { version: 0, blob: null, updatedAt: null };
  }

  /** Writes when baseVersion is the current version (0 = none yet); one conditional statement, so it is atomic. */
  async writeVault(subject: string, baseVersion: number, blob: string): Promise<WriteOutcome<string>> {
    const now = new Date().toISOString();
    const written =
      baseVersion === 0
        ? await this.db.insertInto('vaults').values({ subject, version: 1, blob, updated_at: now }).onConflict((oc) => oc.column('subject').doNothing()).returning('version').executeTakeFirst()
        : await this.db.updateTable('vaults').set({ version: baseVersion + 1, blob, updated_at: now }).where('subject', '=', subject).where('version', '=', baseVersion).returning('version').executeTakeFirst();
    if (written) return { ok: true, version: written.version };
    const current = await this.readVault(subject);
    return { ok: false, version: current.version, current: current.blob };
  }

  // Key envelope

  async readKey(subject: string): Promise<{ version: number; envelope: unknown }> {
    const row = await this.db.selectFrom('key_envelopes').selectAll().where('subject', '=', subject).executeTakeFirst();
    return row ? { version: row.version, envelope: JSON.parse(row.envelope) as unknown } : { version: 0, envelope: null };
  }

  async writeKey(subject: string, baseVersion: number, envelope: string): Promise<WriteOutcome<unknown>> {
    const now = new Date().toISOString();
    const written =
      baseVersion === 0
        ? await this.db.insertInto('key_envelopes').values({ subject, version: 1, envelope, updated_at: now }).onConflict((oc) => oc.column('subject').doNothing()).returning('version').executeTakeFirst()
        : await this.db.updateTable('key_envelopes').set({ version: baseVersion + 1, envelope, updated_at: now }).where('subject', '=', subject).where('version', '=', baseVersion).returning('version').executeTakeFirst();
    if (written) return { ok: true, version: written.version };
    const current = await this.readKey(subject);
    return { ok: false, version: current.version, current: current.envelope };
  }

  // Leases

  /** Grants the lease when it is free, expired, or already this device's (a renewal); atomic across instances. */
  async takeLease(subject: string, key: string, holder: string, ttlSeconds: number): Promise<LeaseOutcome> {
    const now = Date.now();
    const expiresAt = now + ttlSeconds * 1000;
    const taken = await this.db
      .insertInto('leases')
      .values({ subject, lease_key: key, holder, expires_at: expiresAt })
      .onConflict((oc) =>
        oc
          .columns(['subject', 'lease_key'])
          .doUpdateSet({ holder, expires_at: expiresAt })
          .where((eb) => eb.or([eb('leases.holder', '=', holder), eb('leases.expires_at', '<=', now)])),
      )
      .returning(['holder', 'expires_at'])
      .executeTakeFirst();
    if (taken && taken.holder === holder) return { granted: true, expiresAt: taken.expires_at };
    const current = await this.db.selectFrom('leases').select(['holder', 'expires_at']).where('subject', '=', subject).where('lease_key', '=', key).executeTakeFirst();
    if (!current) return this.takeLease(subject, key, holder, ttlSeconds);
    return { granted: false, holder: current.holder, expiresAt: current.expires_at };
  }

  /** Releases a lease; 'not_holder' when another device holds it and it has not expired. */
  async releaseLease(subject: string, key: string, holder: string): Promise<'released' | 'not_holder'> {
    const current = await this.db.selectFrom('leases').select(['holder', 'expires_at']).where('subject', '=', subject).where('lease_key', '=', key).executeTakeFirst();
    if (!current) return 'released';
    if (current.holder !== holder && current.expires_at > Date.now()) return 'not_holder';
    await this.db.deleteFrom('leases').where('subject', '=', subject).where('lease_key', '=', key).where('holder', '=', current.holder).execute();
    return 'released';
  }

  // Removal

  /** "Remove my data from the server": vault, key envelope, leases and devices (the audit trail stays). */
  async removeData(subject: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('vaults').where('subject', '=', subject).execute();
      await tx.deleteFrom('key_envelopes').where('subject', '=', subject).execute();
      await tx.deleteFrom('leases').where('subject', '=', subject).execute();
      await tx.deleteFrom('devices').where('subject', '=', subject).execute();
    });
  }

  // Rate limiting

  /** Counts one request in the subject's current minute (shared by all instances); returns the count. */
  async countRequest(subject: string, windowStart: number): Promise<number> {
    const row = await this.db
      .insertInto('rate_windows')
      .values({ subject, window_start: windowStart, count: 1 })
      .onConflict((oc) => oc.columns(['subject', 'window_start']).doUpdateSet((eb) => ({ count: eb('rate_windows.count', '+', 1) })))
      .returning('count')
      .executeTakeFirstOrThrow();
    return row.count;
  }

  async purgeOldRateWindows(before: number): Promise<void> {
    await this.db.deleteFrom('rate_windows').where('window_start', '<', before).execute();
  }
}
