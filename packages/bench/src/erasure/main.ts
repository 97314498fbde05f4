// `pnpm bench:erasure`: what making erasures final on disk costs. A vault of 100,000 subjects on a
// fresh PostgreSQL database: keys from before epochs moved under the first epoch at open, a batch
// of erasures then the shred that makes them final (every live key re-wrapped under a fresh epoch
// key, the old one destroyed), next to the baseline of deleting the same number of rows one by one
// from a plain table of the same size. Writes results/erasure.md.
import { directoryKeyStore, masterKey, PersonalDataVault } from '@lapor/personal-data';
import { createPgRunner, type SqlRunner } from '@lapor/sql';
import { createCipheriv, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { createBenchDatabase } from '../database';
import { timed, type Throughput } from '../measure';
import { machine, rate, ratio, table, type Row } from '../report';

const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SUBJECTS = Number(process.env.LAPOR_BENCH_ERASURE_SUBJECTS ?? 100_000);
/** Erasures made final by one shred: those that arrive within one shred bound. */
const BATCH = Number(process.env.LAPOR_BENCH_ERASURE_BATCH ?? 1_000);
const CONCURRENCY = Number(process.env.LAPOR_BENCH_ERASURE_CONCURRENCY ?? 4);
const FILL_CHUNK = 10_000;

/** The wrapping the vault used before epochs (AES-256-GCM, IV ‖ tag ‖ body, bound to the complaint): the bench fills rows this fast way. */
function wrap(key: Buffer, plain: Buffer, boundTo: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(boundTo, 'utf8'));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/** `work` for each item, `CONCURRENCY` at a time. */
async function eachAtOnce<T>(items: readonly T[], work: (item: T) => Promise<unknown>): Promise<number> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
  return items.length;
}

async function fill(db: SqlRunner, table: string, ids: readonly string[], wrapped: (id: string) => string, masterId: string): Promise<void> {
  for (let start = 0; start < ids.length; start += FILL_CHUNK) {
    const chunk = ids.slice(start, start + FILL_CHUNK);
    await db.query(`INSERT INTO ${table} (complaint_id, wrapped_key, master_key_id) SELECT id, w, $3 FROM unnest($1::text[], $2::text[]) AS v(id, w)`, [
      chunk,
      chunk.map(wrapped),
      masterId,
    ]);
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const rows: Row[] = [];
  const say = (row: Row): void => {
    rows.push(row);
    console.log([row.case, row.figure, row.ratio].filter(Boolean).join('  '));
  };
  const bench = await createBenchDatabase(SERVER, 'erasure');
  const keyDir = await mkdtemp(join(tmpdir(), 'lapor-bench-keys-'));
  const pool = new Pool({ connectionString: bench.url, max: CONCURRENCY + 2 });
  const db = createPgRunner(pool, { ownsPool: true });
  const master = masterKey(randomBytes(32));
  const keys = directoryKeyStore(keyDir);
  const [{ version }] = (await db.query<{ version: string }>("SELECT current_setting('server_version') AS version")) as [{ version: string }];
  const count = (n: number) => n.toLocaleString('en-US');
  try {
    // the vault's tables, then SUBJECTS keys as a vault from before epochs left them
    const ids = Array.from({ length: SUBJECTS }, () => randomUUID());
    await (await PersonalDataVault.open(db, master, { keys })).close();
    await db.query('DELETE FROM personal_data.epochs');
    await fill(db, 'personal_data.data_keys', ids, (id) => wrap(master.key, randomBytes(32), id), master.id);
    // the baseline: a plain table of the same rows, no vault
    await db.query('CREATE TABLE plain_keys (complaint_id text PRIMARY KEY, wrapped_key text NOT NULL, master_key_id text NOT NULL)');
    await fill(db, 'plain_keys', ids, (id) => wrap(master.key, randomBytes(32), id), master.id);
    await db.query('VACUUM ANALYZE personal_data.data_keys');
    await db.query('VACUUM ANALYZE plain_keys');

    let vault!: PersonalDataVault;
    const migration = await timed(async () => {
      vault = await PersonalDataVault.open(db, master, { keys, shredWithinMs: 3_600_000 });
      return SUBJECTS;
    });
    say({
      case: `open: ${count(SUBJECTS)} keys from before epochs moved under the first epoch (once, at upgrade)`,
      figure: `${migration.seconds.toFixed(1)} s`,
      ratio: rate(migration.perSecond),
    });

    const victims = ids.slice(0, BATCH);
    const plainVictims = ids.slice(BATCH, 2 * BATCH);
    const baseline = await timed(() => eachAtOnce(plainVictims, (id) => db.query('DELETE FROM plain_keys WHERE complaint_id = $1', [id])));
    const erasures = await timed(() => eachAtOnce(victims, (id) => vault.erase(id, 'bench')));
    const shred = await timed(async () => {
      const { shredded } = await vault.shred();
      if (!shredded) throw new Error('nothing was shredded');
      return SUBJECTS - BATCH;
    });
    const final: Throughput = { operations: BATCH, seconds: erasures.seconds + shred.seconds, perSecond: BATCH / (erasures.seconds + shred.seconds) };
    say({
      case: `baseline: DELETE one row by key from a plain table of ${count(SUBJECTS)}, ${CONCURRENCY} at a time (${count(BATCH)} rows)`,
      figure: rate(baseline.perSecond),
    });
    say({
      case: `vault: erase (delete the key, record the erasure), ${CONCURRENCY} at a time (${count(BATCH)} subjects)`,
      figure: rate(erasures.perSecond),
      ratio: `${ratio(erasures.perSecond, baseline.perSecond)} baseline`,
    });
    say({
      case: `vault: one shred, ${count(SUBJECTS - BATCH)} live keys re-wrapped under a fresh epoch, the old epoch key destroyed`,
      figure: `${shred.seconds.toFixed(2)} s`,
      ratio: `${rate(shred.perSecond)} keys`,
    });
    say({
      case: `vault: erase + shred, ${count(BATCH)} erasures made final by one shred`,
      figure: rate(final.perSecond),
      ratio: `${ratio(final.perSecond, baseline.perSecond)} baseline`,
    });
    // the worst case: erasures so rare that each gets a shred of its own
    const single = ids[2 * BATCH]!;
    const alone = await timed(async () => {
      await vault.erase(single, 'bench');
      await vault.shred();
      return 1;
    });
    say({
      case: `vault: one erasure with a shred of its own (erasures rarer than one per shred bound), ${count(SUBJECTS - BATCH - 1)} live keys`,
      figure: `${(alone.seconds * 1000).toFixed(0)} ms`,
      ratio: `${(alone.perSecond / baseline.perSecond).toFixed(4)}× baseline`,
    });
    // seals go on while a shred re-wraps: its exclusive lock lasts only while the epoch changes
    const sealLatencies = async (until: () => boolean, most: number): Promise<number[]> => {
      const latencies: number[] = [];
      while (!until() && latencies.length < most) {
        const at = performance.now();
        await vault.seal(randomUUID(), { name: 'Pelapor' });
        latencies.push(performance.now() - at);
      }
      return latencies.sort((a, b) => a - b);
    };
    const idle = await sealLatencies(() => false, 500);
    await eachAtOnce(ids.slice(2 * BATCH + 1, 2 * BATCH + 101), (id) => vault.erase(id, 'bench'));
    let shredDone = false;
    const during = await Promise.all([vault.shred().then(() => (shredDone = true)), sealLatencies(() => shredDone, Number.POSITIVE_INFINITY)]).then(
      ([, latencies]) => latencies,
    );
    const p = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
    const latency = (sorted: readonly number[]) =>
      `p50 ${p(sorted, 0.5).toFixed(1)} ms, p99 ${p(sorted, 0.99).toFixed(1)} ms, max ${(sorted.at(-1) ?? NaN).toFixed(0)} ms`;
    say({ case: `seal, one at a time, no shred running (${count(idle.length)} seals)`, figure: latency(idle) });
    say({ case: `seal, one at a time, while a shred re-wraps ~${count(SUBJECTS)} keys (${count(during.length)} seals)`, figure: latency(during) });
    await vault.close();
  } finally {
    await db.close();
    await bench.drop();
    await rm(keyDir, { recursive: true, force: true });
  }

  const report = [
    '# Erasure benchmark',
    '',
    `Produced by \`pnpm bench:erasure\` in ${((performance.now() - started) / 1000).toFixed(0)} s: the personal-data vault on one fresh PostgreSQL database (dropped afterwards), ${count(SUBJECTS)} subjects, the epoch keys in a folder on local disk. An erasure deletes the subject's data key and records it; it is final on disk once a shred has re-wrapped every live data key under a fresh epoch key (chunks of 5,000 rows, each its own transaction, seals going on meanwhile under the new epoch) and destroyed the old epoch key file. The shred runs at most once per shred bound (60 s by default) for all erasures in it, so the batch of ${count(BATCH)} stands for the erasures of one bound. The baseline deletes the same number of rows, one statement each, from a plain table of the same size with no vault.`,
    '',
    machine(version),
    '',
    table(rows),
    '',
  ].join('\n');
  await writeFile(join(__dirname, '..', '..', 'results', 'erasure.md'), report);
  console.log('\nwritten to packages/bench/results/erasure.md');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
