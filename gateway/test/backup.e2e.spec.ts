import { openEmbeddedStores, openServerStores, type Stores } from '@lapor/http-kit';
import { masterKey, type MasterKey } from '@lapor/personal-data';
import { createTestDatabase, type TestDatabase } from '@lapor/testing';
import type { FastifyInstance } from 'fastify';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { buildGateway } from '../src/app';
import { backupEmbedded, backupServer } from '../src/backup/backup';
import { restoreEmbedded, restoreServer, type RestoreReport } from '../src/backup/restore';
import { demoAccounts } from '../src/seed/demo-accounts';
import { DEMO_ORGANISATION, NTT_ID } from '../src/seed/demo-organisation';
import { readUntil } from './support/eventually';
import { httpClient, type HttpClient } from './support/http';

// The restore drill an operator runs before trusting backups: fill, back up, destroy, restore, and
// the recap, the inbox and the SLA timers are what they were; the master key is not in the backup.

const PASSWORD = 'backup-drill-password';
const PUPR = 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat';
const RECAP = `/statistics/recap?nodeId=${NTT_ID}&from=2026-01-01&to=2027-01-01`;

/** The bytes a backup holds, unpacked: PGlite's gzipped tar, or pg_dump's compressed archive as the SQL it restores. */
function uncompressed(file: string): Buffer {
  const packed = readFileSync(file);
  if (packed[0] === 0x1f && packed[1] === 0x8b) return gunzipSync(packed);
  return execFileSync('pg_restore', ['--file', '-', file], { maxBuffer: 256 * 1024 * 1024 });
}

/** One deployment's database, opened again and again, backed up, destroyed and restored. */
interface Deployment {
  open(): Promise<Stores>;
  backup(file: string): Promise<void>;
  destroy(): Promise<void>;
  restore(file: string): Promise<RestoreReport>;
  cleanUp(): Promise<void>;
}

function embeddedDeployment(folder: string, key: MasterKey): Deployment {
  const databaseDir = join(folder, 'eventstore');
  return {
    open: () => openEmbeddedStores({ dataDir: databaseDir, keyDir: join(folder, 'keys'), masterKey: key }),
    backup: (file) => backupEmbedded(databaseDir, file),
    destroy: async () => rmSync(databaseDir, { recursive: true, force: true }),
    restore: (file) => restoreEmbedded(databaseDir, file),
    cleanUp: async () => undefined,
  };
}

async function serverDeployment(folder: string, key: MasterKey): Promise<Deployment> {
  let database: TestDatabase = await createTestDatabase('backup_drill');
  return {
    open: () => openServerStores({ connectionString: database.url, keyDir: join(folder, 'keys'), masterKey: key }),
    backup: (file) => backupServer(database.url, file),
    async destroy() {
      await database.drop();
      database = await createTestDatabase('backup_drill_restored');
    },
    restore: (file) => restoreServer(database.url, file),
    cleanUp: () => database.drop(),
  };
}

describe.each([
  ['the embedded store (PGlite)', embeddedDeployment],
  ['a PostgreSQL server', serverDeployment],
] as const)('backing up and restoring %s', (_name, deploymentOf) => {
  const key = masterKey(randomBytes(32));
  let folder: string;
  let deployment: Deployment;
  let stores: Stores | undefined;
  let app: FastifyInstance | undefined;
  let http: HttpClient;
  const tokens: Record<string, string> = {};
  const as = (username: string) => ({ token: tokens[username]! });
  const now = Date.parse('2026-05-04T02:00:00.000Z');

  const start = async (): Promise<void> => {
    stores = await deployment.open();
    ({ app } = await buildGateway({
      ...stores,
      jwtSecret: 'backup-drill-secret-backup-drill-secret',
      seedOrganisation: DEMO_ORGANISATION,
      seedAccounts: demoAccounts(PASSWORD),
      now: () => new Date(now).toISOString(),
    }));
    http = httpClient(await app.listen({ port: 0, host: '127.0.0.1' }));
    for (const username of ['admin-ntt', 'penghubung-pupr']) tokens[username] = await http.token(username, PASSWORD);
  };
  const stop = async (): Promise<void> => {
    await app?.close();
    await stores?.close();
    app = undefined;
    stores = undefined;
  };

  /** What an official and a liaison see, and the timers of each complaint, once the read models have applied `lastWrite`. */
  const whatTheySee = async (complaintIds: readonly string[], lastWrite: string) => {
    const ready = await readUntil(
      () => http.get('/health/ready'),
      (answer) => answer.status === 200,
      60_000,
    );
    expect(ready.status).toBe(200);
    const inbox = await http.get<{ items: Array<{ complaintId: string; status: string }> }>(`/inbox?pageSize=50&readAfter=${lastWrite}`, as('admin-ntt'));
    expect(inbox.status).toBe(200);
    const unitInbox = await http.get<{ items: Array<{ complaintId: string }> }>('/inbox', as('penghubung-pupr'));
    // opening an inbox records the node's visit (Terakhir Dilihat): the recap is read once it counts
    // both, the unit's row and the instansi's total
    const visited = `"terakhirDilihat":"${new Date(now).toISOString()}"`;
    // and once it counts the disposition (the last write): the visits are read from the log itself, so
    // seeing them does not mean the statistics read side has caught up with what came before them
    const recap = await readUntil(
      () => http.get<{ total?: { belumDitindaklanjuti?: number } }>(RECAP, as('admin-ntt')),
      (answer) => JSON.stringify(answer.body).split(visited).length - 1 >= 2 && answer.body.total?.belumDitindaklanjuti === 1,
    );
    const timers = await Promise.all(complaintIds.map(async (id) => (await http.get(`/complaints/${id}/timers`, as('admin-ntt'))).body));
    return { inbox: inbox.body.items, recap: recap.body, unitInbox: unitInbox.body.items.map((item) => item.complaintId), timers };
  };

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'lapor-backup-drill-'));
    deployment = await deploymentOf(folder, key);
  });
  afterAll(async () => {
    await stop();
    await deployment.cleanUp();
    rmSync(folder, { recursive: true, force: true });
  });

  it('given complaints at every stage, when the database is backed up, destroyed and restored, then the recap, the inboxes and the timers are what they were, and the backup holds no master key', async () => {
    await start();
    const submit = async (title: string, reporter?: Record<string, unknown>) => {
      const answer = await http.post<{ complaintId: string }>('/complaints', {
        kind: 'pengaduan',
        channel: 'web',
        title,
        description: `${title}: mohon ditindaklanjuti.`,
        addressedTo: NTT_ID,
        ...(reporter ? { reporter } : {}),
      });
      expect(answer.status).toBe(201);
      return answer.body.complaintId;
    };
    const received = await submit('Jalan rusak di Kupang', { name: 'Maria Nenobais', email: 'maria@example.id' });
    const verified = await submit('Air PDAM keruh');
    const disposed = await submit('Drainase tersumbat');
    for (const id of [verified, disposed]) {
      expect((await http.post(`/complaints/${id}/verification`, { slaClass: 'tanpa_pengawasan', category: 'Infrastruktur' }, as('admin-ntt'))).status).toBe(
        200,
      );
    }
    const disposition = await http.post<{ version: string }>(`/complaints/${disposed}/dispositions`, { to: PUPR }, as('admin-ntt'));
    expect(disposition.status).toBe(200);
    const ids = [received, verified, disposed];
    const lastWrite = `${disposed}:${disposition.body.version}`;
    const before = await whatTheySee(ids, lastWrite);
    expect(before.unitInbox).toEqual([disposed]);
    await stop();

    const file = join(folder, 'lapor.backup');
    await deployment.backup(file);
    await deployment.destroy();
    const report = await deployment.restore(file);
    await start();
    const after = await whatTheySee(ids, lastWrite);

    expect(report.events).toBeGreaterThan(0);
    expect(after).toEqual(before);
    const backup = uncompressed(file);
    expect(backup.length).toBeGreaterThan(10_000);
    expect(backup.includes(Buffer.from('eventstore'))).toBe(true);
    expect(backup.includes(key.key)).toBe(false);
    expect(backup.includes(Buffer.from(key.key.toString('base64')))).toBe(false);
    // nor the reporter's identity in clear: it is sealed in the vault
    expect(backup.includes(Buffer.from('Maria Nenobais'))).toBe(false);
  });
});
