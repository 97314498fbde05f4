import { ensureSchema, SCHEMA_LOCK_CLASS, type SqlQueryable, type SqlRunner } from '@lapor/sql';
import { hkdfSync, randomBytes } from 'node:crypto';
import { decrypt, derivedKey, encrypt, SealError, type MasterKey } from './envelope';
import type { EpochKeyStore } from './epoch-keys';
import { ReporterIdentity } from './identity';

/** What the complaint's events carry instead of the identity (the domain's SealedIdentity). */
export interface SealedIdentity {
  readonly sealed: string;
  /** The master key that wrapped the complaint's data key. */
  readonly keyId: string;
}

export interface VaultOptions {
  /** Where the epoch keys live: outside the database (see EpochKeyStore). */
  readonly keys: EpochKeyStore;
  /** An erasure is made final on disk (shredded) within this time while the process runs; 60 s by default. */
  readonly shredWithinMs?: number;
  /** A shred run in the background failed (it is tried again at the next erasure, open or close). */
  readonly onShredError?: (error: unknown) => void;
  /** Data keys re-wrapped per transaction by a shred; 5,000 by default. */
  readonly rewrapChunk?: number;
}

export const SHRED_WITHIN_MS = 60_000;

const SCHEMA = 'personal_data';
// Seals and erasures take it shared, a shred exclusive only while it replaces the current epoch
// (a moment): no data key is written under an epoch after it stops being current.
const EPOCH_LOCK = `${SCHEMA}.epoch`;
const REWRAP_CHUNK = 5_000;

interface KeyRow {
  readonly wrapped_key: string;
  readonly master_key_id: string;
  /** Null for a key from before epochs, wrapped by the master key itself. */
  readonly epoch_id: string | null;
}

interface Epoch {
  readonly id: string;
  readonly master_key_id: string;
}

/** The epoch key's file is gone: another process shredded since the row was read. */
class EpochGone extends SealError {}

const fromDataKey = (dataKey: Buffer, purpose: string): Buffer => Buffer.from(hkdfSync('sha256', dataKey, 'lapor-complaint-key', purpose, 32));

const epochContext = (epochId: string): string => `epoch:${epochId}`;

/**
 * Reporter identities sealed per complaint: each complaint has its own random data key. Erasing a
 * complaint's personal data deletes that key (crypto-shredding): the sealed value stays in the
 * immutable event log and can never be opened again.
 *
 * A deleted row is not gone from the disk (WAL, dead tuples, backups), so data keys are not wrapped
 * by the master key but by the current epoch key, itself wrapped by the master key and kept in a
 * file outside the database. After erasures, `shred` re-wraps every live data key under a fresh
 * epoch key in one transaction and destroys the old one: the erased key's old wrapped bytes,
 * wherever they survive, no longer open with anything that exists.
 */
export class PersonalDataVault {
  private readonly epochKeys = new Map<string, Buffer>();
  private shredTimer: NodeJS.Timeout | undefined;
  private shredding: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly db: SqlRunner,
    private readonly master: MasterKey,
    private readonly options: VaultOptions,
  ) {}

  /** Opens the tables, makes the first epoch, moves keys from before epochs into it, and shreds what an earlier process left pending. */
  static async open(db: SqlRunner, master: MasterKey, options: VaultOptions): Promise<PersonalDataVault> {
    await ensureSchema(
      db,
      SCHEMA,
      `
        CREATE TABLE IF NOT EXISTS ${SCHEMA}.data_keys (
          complaint_id text PRIMARY KEY,
          wrapped_key text NOT NULL,
          master_key_id text NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now()
        );
        -- who erased what and when; no personal data
        CREATE TABLE IF NOT EXISTS ${SCHEMA}.erasures (
          complaint_id text PRIMARY KEY,
          erased_by text NOT NULL,
          erased_at timestamptz NOT NULL DEFAULT now()
        );
        -- ids only: the keys are in the EpochKeyStore. Exactly one epoch is current; a superseded
        -- one is retired (its key destroyed) once no data key is wrapped under it any more
        CREATE TABLE IF NOT EXISTS ${SCHEMA}.epochs (
          id text PRIMARY KEY,
          master_key_id text NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now(),
          superseded_at timestamptz,
          retired_at timestamptz
        );
        -- What came later, each only when missing: ALTER TABLE and CREATE INDEX lock their table even
        -- when there is nothing to do, and a second process opening the vault then deadlocked with
        -- the first one's shredder (which reads data_keys while updating epochs).
        DO $$ BEGIN
          -- the epoch whose key wraps this data key; null: wrapped by the master key (before epochs)
          IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = '${SCHEMA}' AND table_name = 'data_keys' AND column_name = 'epoch_id') THEN
            ALTER TABLE ${SCHEMA}.data_keys ADD COLUMN epoch_id text;
          END IF;
          -- the epoch the erased key was wrapped under: while it is current, the erasure awaits its shred
          IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = '${SCHEMA}' AND table_name = 'erasures' AND column_name = 'epoch_id') THEN
            ALTER TABLE ${SCHEMA}.erasures ADD COLUMN epoch_id text;
          END IF;
          IF to_regclass('${SCHEMA}.erasures_epoch') IS NULL THEN
            CREATE INDEX erasures_epoch ON ${SCHEMA}.erasures (epoch_id);
          END IF;
          IF to_regclass('${SCHEMA}.epochs_one_current') IS NULL THEN
            CREATE UNIQUE INDEX epochs_one_current ON ${SCHEMA}.epochs ((true)) WHERE superseded_at IS NULL;
          END IF;
        END $$;`,
    );
    const vault = new PersonalDataVault(db, master, options);
    await vault.start();
    return vault;
  }

  /** A key for `purpose` derived from the master key, so nothing else needs a secret of its own (e.g. keyed tracking ids). */
  derivedKey(purpose: string): Buffer {
    return derivedKey(this.master, purpose);
  }

  async seal(complaintId: string, identity: ReporterIdentity): Promise<SealedIdentity> {
    const valid = ReporterIdentity.parse(identity);
    const dataKey = await this.dataKeyFor(complaintId);
    const sealed = encrypt(dataKey, Buffer.from(JSON.stringify(valid), 'utf8'), complaintId);
    return { sealed: sealed.toString('base64'), keyId: this.master.id };
  }

  /** The identity, or null once it has been erased. Throws SealError when the value was tampered with or moved. */
  async open(complaintId: string, sealed: SealedIdentity): Promise<ReporterIdentity | null> {
    for (let attempt = 0; ; attempt += 1) {
      const [row] = await this.db.query<KeyRow>(`SELECT wrapped_key, master_key_id, epoch_id FROM ${SCHEMA}.data_keys WHERE complaint_id = $1`, [complaintId]);
      if (!row) return null;
      let dataKey: Buffer;
      try {
        dataKey = await this.unwrap(complaintId, row);
      } catch (error) {
        // read just before another process shredded: the row has been re-wrapped since
        if (error instanceof EpochGone && attempt === 0) continue;
        throw error;
      }
      return ReporterIdentity.parse(JSON.parse(decrypt(dataKey, Buffer.from(sealed.sealed, 'base64'), complaintId).toString('utf8')));
    }
  }

  /**
   * A key for `purpose` (e.g. one attached file) derived from the complaint's data key, making that
   * key first when the complaint has none: whatever it seals is erased with the complaint's identity.
   * Throws SealError once the complaint's personal data was erased.
   */
  async sealingKey(complaintId: string, purpose: string): Promise<Buffer> {
    return fromDataKey(await this.dataKeyFor(complaintId), purpose);
  }

  /** The key `sealingKey` gave for `purpose`, or null once the complaint's personal data was erased (or never had a key). */
  async openingKey(complaintId: string, purpose: string): Promise<Buffer | null> {
    for (let attempt = 0; ; attempt += 1) {
      const [row] = await this.db.query<KeyRow>(`SELECT wrapped_key, master_key_id, epoch_id FROM ${SCHEMA}.data_keys WHERE complaint_id = $1`, [complaintId]);
      if (!row) return null;
      try {
        return fromDataKey(await this.unwrap(complaintId, row), purpose);
      } catch (error) {
        // read just before another process shredded: the row has been re-wrapped since
        if (error instanceof EpochGone && attempt === 0) continue;
        throw error;
      }
    }
  }

  /**
   * Destroys the complaint's data key. `erased` is false when there was nothing (left) to erase.
   * It is final on disk once shredded: within `shredWithinMs`, at a graceful close, or at the next open.
   */
  async erase(complaintId: string, erasedBy: string): Promise<{ erased: boolean }> {
    const result = await this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock_shared($1::int, hashtext($2::text))', [SCHEMA_LOCK_CLASS, EPOCH_LOCK]);
      const deleted = await tx.query<{ epoch_id: string | null }>(`DELETE FROM ${SCHEMA}.data_keys WHERE complaint_id = $1 RETURNING epoch_id`, [complaintId]);
      await tx.query(`INSERT INTO ${SCHEMA}.erasures (complaint_id, erased_by, epoch_id) VALUES ($1, $2, $3) ON CONFLICT (complaint_id) DO NOTHING`, [
        complaintId,
        erasedBy,
        deleted[0]?.epoch_id ?? null,
      ]);
      return { erased: deleted.length > 0 };
    });
    if (result.erased) this.scheduleShred();
    return result;
  }

  async isErased(complaintId: string): Promise<boolean> {
    return (await this.db.query(`SELECT 1 FROM ${SCHEMA}.erasures WHERE complaint_id = $1`, [complaintId])).length > 0;
  }

  /**
   * Makes every erasure so far final on disk: when an erased key was wrapped under the current
   * epoch, a fresh epoch becomes current (seals use it from then on), every live data key is
   * re-wrapped under it, chunk by chunk while seals and opens go on, and the old epoch key is
   * destroyed. `shredded` is false when nothing was pending. Runs one at a time per vault; shreds
   * of several processes share the re-wrapping.
   */
  shred(): Promise<{ shredded: boolean }> {
    const run = this.shredding.then(() => this.shredOnce());
    this.shredding = run.catch(() => undefined);
    return run;
  }

  /** Stops the background shred; an erasure still waiting for it is shredded now. */
  async close(): Promise<void> {
    this.closed = true;
    const pending = this.shredTimer !== undefined;
    clearTimeout(this.shredTimer);
    this.shredTimer = undefined;
    if (pending) await this.shred().catch((error: unknown) => this.options.onShredError?.(error));
    await this.shredding;
  }

  private scheduleShred(): void {
    if (this.shredTimer || this.closed) return;
    this.shredTimer = setTimeout(() => {
      this.shredTimer = undefined;
      this.shred().catch((error: unknown) => this.options.onShredError?.(error));
    }, this.options.shredWithinMs ?? SHRED_WITHIN_MS);
    this.shredTimer.unref();
  }

  private async start(): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.lockExclusive(tx);
      const current = (await this.currentEpoch(tx)) ?? (await this.newEpoch(tx));
      if (current.master_key_id !== this.master.id) return; // another master key: it may read nothing, so it moves nothing
      const legacy = await tx.query<{ complaint_id: string; wrapped_key: string }>(
        `SELECT complaint_id, wrapped_key FROM ${SCHEMA}.data_keys WHERE epoch_id IS NULL AND master_key_id = $1`,
        [this.master.id],
      );
      const epochKey = await this.epochKey(current);
      await this.rewrap(
        tx,
        legacy.map(({ complaint_id, wrapped_key }) => ({
          complaint_id,
          wrapped: encrypt(epochKey, decrypt(this.master.key, Buffer.from(wrapped_key, 'base64'), complaint_id), complaint_id),
        })),
        current.id,
      );
    });
    await this.shred();
    await this.destroyRetired();
  }

  private async shredOnce(): Promise<{ shredded: boolean }> {
    const superseded = await this.db.transaction(async (tx) => {
      await this.lockExclusive(tx);
      const current = await this.currentEpoch(tx);
      // only the master key that wraps the epoch can re-wrap under it; a vault with another one leaves it to its own
      if (!current || current.master_key_id !== this.master.id) return false;
      const [pending] = await tx.query(`SELECT 1 FROM ${SCHEMA}.erasures WHERE epoch_id = $1 LIMIT 1`, [current.id]);
      if (!pending) return false;
      await tx.query(`UPDATE ${SCHEMA}.epochs SET superseded_at = now() WHERE id = $1`, [current.id]);
      await this.newEpoch(tx);
      return true;
    });
    // also an epoch an earlier shred (here or in another process) superseded and did not finish
    const finished = await this.finishSuperseded();
    return { shredded: superseded || finished };
  }

  /** Re-wraps what is left under superseded epochs, retires those left empty, destroys their keys. */
  private async finishSuperseded(): Promise<boolean> {
    const superseded = await this.db.query<Epoch>(
      `SELECT id, master_key_id FROM ${SCHEMA}.epochs WHERE superseded_at IS NOT NULL AND retired_at IS NULL AND master_key_id = $1`,
      [this.master.id],
    );
    if (superseded.length === 0) return false;
    const current = await this.currentEpoch(this.db);
    if (!current) return false;
    const newKey = await this.epochKey(current);
    for (const old of superseded) {
      let oldKey: Buffer;
      try {
        oldKey = await this.epochKey(old);
      } catch (error) {
        // another process finished it and destroyed its key just now
        if (error instanceof EpochGone) continue;
        throw error;
      }
      for (let after = ''; ;) {
        const last = await this.db.transaction(async (tx) => {
          // in key order, skipping rows another shredder is re-wrapping right now
          const rows = await tx.query<{ complaint_id: string; wrapped_key: string }>(
            `SELECT complaint_id, wrapped_key FROM ${SCHEMA}.data_keys WHERE epoch_id = $1 AND complaint_id > $2
              ORDER BY complaint_id LIMIT $3 FOR UPDATE SKIP LOCKED`,
            [old.id, after, this.options.rewrapChunk ?? REWRAP_CHUNK],
          );
          await this.rewrap(
            tx,
            rows.map(({ complaint_id, wrapped_key }) => ({
              complaint_id,
              wrapped: encrypt(newKey, decrypt(oldKey, Buffer.from(wrapped_key, 'base64'), complaint_id), complaint_id),
            })),
            current.id,
          );
          return rows.at(-1)?.complaint_id;
        });
        if (last === undefined) break;
        after = last;
      }
      // retired only when nothing is wrapped under it any more (a row another shredder held is its to finish)
      await this.db.query(
        `UPDATE ${SCHEMA}.epochs SET retired_at = now() WHERE id = $1 AND retired_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM ${SCHEMA}.data_keys WHERE epoch_id = $1)`,
        [old.id],
      );
    }
    await this.destroyRetired();
    return true;
  }

  /** Destroys the key of every retired epoch still in the store (also one a crash left behind after its commit). */
  private async destroyRetired(): Promise<void> {
    const held = await this.options.keys.list();
    if (held.length === 0) return;
    const retired = await this.db.query<{ id: string }>(`SELECT id FROM ${SCHEMA}.epochs WHERE retired_at IS NOT NULL AND id = ANY($1::text[])`, [held]);
    for (const { id } of retired) {
      this.epochKeys.delete(id);
      await this.options.keys.destroy(id);
    }
  }

  private async rewrap(tx: SqlQueryable, rows: readonly { complaint_id: string; wrapped: Buffer }[], epochId: string): Promise<void> {
    for (let start = 0; start < rows.length; start += REWRAP_CHUNK) {
      const chunk = rows.slice(start, start + REWRAP_CHUNK);
      await tx.query(
        `UPDATE ${SCHEMA}.data_keys AS d SET wrapped_key = v.wrapped, epoch_id = $3, master_key_id = $4
           FROM unnest($1::text[], $2::text[]) AS v(complaint_id, wrapped) WHERE d.complaint_id = v.complaint_id`,
        [chunk.map((row) => row.complaint_id), chunk.map((row) => row.wrapped.toString('base64')), epochId, this.master.id],
      );
    }
  }

  private async lockExclusive(tx: SqlQueryable): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2::text))', [SCHEMA_LOCK_CLASS, EPOCH_LOCK]);
  }

  private async currentEpoch(tx: SqlQueryable): Promise<Epoch | undefined> {
    const [row] = await tx.query<Epoch>(`SELECT id, master_key_id FROM ${SCHEMA}.epochs WHERE superseded_at IS NULL`);
    return row;
  }

  /** Its key is stored (durably) before the row that names it commits. */
  private async newEpoch(tx: SqlQueryable): Promise<Epoch> {
    const epoch = { id: randomBytes(16).toString('hex'), master_key_id: this.master.id };
    const key = randomBytes(32);
    await this.options.keys.write(epoch.id, encrypt(this.master.key, key, epochContext(epoch.id)));
    await tx.query(`INSERT INTO ${SCHEMA}.epochs (id, master_key_id) VALUES ($1, $2)`, [epoch.id, epoch.master_key_id]);
    this.epochKeys.set(epoch.id, key);
    return epoch;
  }

  private async epochKey(epoch: Epoch): Promise<Buffer> {
    const cached = this.epochKeys.get(epoch.id);
    if (cached) return cached;
    if (epoch.master_key_id !== this.master.id) {
      throw new SealError(`wrong master key: epoch ${epoch.id} is wrapped by master key ${epoch.master_key_id}, the configured one is ${this.master.id}`);
    }
    const wrapped = await this.options.keys.read(epoch.id);
    if (!wrapped) throw new EpochGone(`the key of epoch ${epoch.id} is not in ${this.options.keys.where}`);
    const key = decrypt(this.master.key, wrapped, epochContext(epoch.id));
    // a newer epoch replaces the ones before it: an old key is not kept in memory either
    this.epochKeys.clear();
    this.epochKeys.set(epoch.id, key);
    return key;
  }

  private async unwrap(complaintId: string, row: KeyRow): Promise<Buffer> {
    if (row.master_key_id !== this.master.id) {
      throw new SealError(
        `wrong master key: the data key of complaint ${complaintId} is wrapped by master key ${row.master_key_id}, the configured one is ${this.master.id}`,
      );
    }
    const wrapping = row.epoch_id === null ? this.master.key : await this.epochKey({ id: row.epoch_id, master_key_id: row.master_key_id });
    return decrypt(wrapping, Buffer.from(row.wrapped_key, 'base64'), complaintId);
  }

  /** One key per complaint, even when two seals race: the first insert wins and both use it. */
  private async dataKeyFor(complaintId: string): Promise<Buffer> {
    const row = await this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock_shared($1::int, hashtext($2::text))', [SCHEMA_LOCK_CLASS, EPOCH_LOCK]);
      if ((await tx.query(`SELECT 1 FROM ${SCHEMA}.erasures WHERE complaint_id = $1`, [complaintId])).length > 0) {
        throw new SealError(`the personal data of complaint ${complaintId} was erased; nothing new is sealed for it`);
      }
      const current = await this.currentEpoch(tx);
      if (!current) throw new SealError('the vault has no epoch: it was not opened');
      const fresh = encrypt(await this.epochKey(current), randomBytes(32), complaintId).toString('base64');
      await tx.query(
        `INSERT INTO ${SCHEMA}.data_keys (complaint_id, wrapped_key, master_key_id, epoch_id) VALUES ($1, $2, $3, $4) ON CONFLICT (complaint_id) DO NOTHING`,
        [complaintId, fresh, current.master_key_id, current.id],
      );
      const [stored] = await tx.query<KeyRow>(`SELECT wrapped_key, master_key_id, epoch_id FROM ${SCHEMA}.data_keys WHERE complaint_id = $1`, [complaintId]);
      return stored;
    });
    if (!row) throw new SealError(`no data key for complaint ${complaintId}`);
    try {
      return await this.unwrap(complaintId, row);
    } catch (error) {
      // an existing key read just before another process's shred destroyed its epoch: it has been re-wrapped since
      if (!(error instanceof EpochGone)) throw error;
      const [again] = await this.db.query<KeyRow>(`SELECT wrapped_key, master_key_id, epoch_id FROM ${SCHEMA}.data_keys WHERE complaint_id = $1`, [
        complaintId,
      ]);
      if (!again) throw new SealError(`the personal data of complaint ${complaintId} was erased; nothing new is sealed for it`);
      return this.unwrap(complaintId, again);
    }
  }
}
