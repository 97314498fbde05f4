import { ensureSchema, type SqlRunner } from '@lapor/sql';
import { randomBytes } from 'node:crypto';
import { decrypt, derivedKey, encrypt, SealError, type MasterKey } from './envelope';
import { ReporterIdentity } from './identity';

/** What the complaint's events carry instead of the identity (the domain's SealedIdentity). */
export interface SealedIdentity {
  readonly sealed: string;
  /** The master key that wrapped the complaint's data key. */
  readonly keyId: string;
}

const SCHEMA = 'personal_data';

/**
 * Reporter identities sealed per complaint: each complaint has its own random data key, stored
 * wrapped by the master key. Erasing a complaint's personal data deletes that key (crypto-shredding):
 * the sealed value stays in the immutable event log and can never be opened again.
 */
export class PersonalDataVault {
  private constructor(
    private readonly db: SqlRunner,
    private readonly master: MasterKey,
  ) {}

  static async open(db: SqlRunner, master: MasterKey): Promise<PersonalDataVault> {
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
        );`,
    );
    return new PersonalDataVault(db, master);
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
    const [row] = await this.db.query<{ wrapped_key: string; master_key_id: string }>(
      `SELECT wrapped_key, master_key_id FROM ${SCHEMA}.data_keys WHERE complaint_id = $1`,
      [complaintId],
    );
    if (!row) return null;
    if (row.master_key_id !== this.master.id) {
      throw new SealError(
        `wrong master key: the data key of complaint ${complaintId} is wrapped by master key ${row.master_key_id}, the configured one is ${this.master.id}`,
      );
    }
    const dataKey = decrypt(this.master.key, Buffer.from(row.wrapped_key, 'base64'), complaintId);
    return ReporterIdentity.parse(JSON.parse(decrypt(dataKey, Buffer.from(sealed.sealed, 'base64'), complaintId).toString('utf8')));
  }

  /** Destroys the complaint's data key. `erased` is false when there was nothing (left) to erase. */
  async erase(complaintId: string, erasedBy: string): Promise<{ erased: boolean }> {
    return this.db.transaction(async (tx) => {
      const deleted = await tx.query(`DELETE FROM ${SCHEMA}.data_keys WHERE complaint_id = $1 RETURNING complaint_id`, [complaintId]);
      await tx.query(`INSERT INTO ${SCHEMA}.erasures (complaint_id, erased_by) VALUES ($1, $2) ON CONFLICT (complaint_id) DO NOTHING`, [complaintId, erasedBy]);
      return { erased: deleted.length > 0 };
    });
  }

  async isErased(complaintId: string): Promise<boolean> {
    return (await this.db.query(`SELECT 1 FROM ${SCHEMA}.erasures WHERE complaint_id = $1`, [complaintId])).length > 0;
  }

  /** One key per complaint, even when two seals race: the first insert wins and both use it. */
  private async dataKeyFor(complaintId: string): Promise<Buffer> {
    if (await this.isErased(complaintId)) throw new SealError(`the personal data of complaint ${complaintId} was erased; nothing new is sealed for it`);
    const fresh = encrypt(this.master.key, randomBytes(32), complaintId).toString('base64');
    await this.db.query(
      `INSERT INTO ${SCHEMA}.data_keys (complaint_id, wrapped_key, master_key_id) VALUES ($1, $2, $3) ON CONFLICT (complaint_id) DO NOTHING`,
      [complaintId, fresh, this.master.id],
    );
    const [row] = await this.db.query<{ wrapped_key: string }>(`SELECT wrapped_key FROM ${SCHEMA}.data_keys WHERE complaint_id = $1`, [complaintId]);
    if (!row) throw new SealError(`no data key for complaint ${complaintId}`);
    return decrypt(this.master.key, Buffer.from(row.wrapped_key, 'base64'), complaintId);
  }
}
