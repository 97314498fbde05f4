import { StaffAccounts } from '@lapor/accounts';
import { createPostgresEventStore } from '@lapor/event-store';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { freePort } from '../distributed/topology';
import { COMMON_QUERY } from './texts';

// The process that serves GET /inbox, started as an operator starts it (services/follow-up alone on
// PostgreSQL, `node --import tsx src/main.ts`, as infra/start-distributed.sh runs it), on the bench's
// database with the inbox already built: how long from the spawn until /health/ready answers 200, and
// its resident memory once ready and after it has served pages. Without KAFKA_BROKERS it follows the
// event log in the database, the feed the bench's complaints are in.

const SERVICE = join(__dirname, '..', '..', '..', '..', 'services', 'follow-up');
const READY_WITHIN_MS = 300_000;
const PAGES = 200;
const USERNAME = 'bench-admin-nasional';

export interface Serving {
  /** Spawn to the first 200 from /health/ready, per start. */
  readonly readyMs: readonly number[];
  readonly rssReadyBytes: number;
  readonly rssServedBytes: number;
  readonly pagesServed: number;
}

/** Starts the follow-up service `starts` times on `url`, one after the other; memory is read in the last. */
export async function measureServing(url: string, starts = 2): Promise<Serving> {
  const jwtSecret = randomBytes(36).toString('base64url');
  const token = signToken(await adminNasional(url), jwtSecret);
  const keyDir = await mkdtemp(join(tmpdir(), 'lapor-bench-keys-'));
  const readyMs: number[] = [];
  try {
    for (let start = 1; ; start++) {
      const port = await freePort();
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        DATABASE_URL: url,
        LAPOR_JWT_SECRET: jwtSecret,
        LAPOR_MASTER_KEY: randomBytes(32).toString('base64'),
        LAPOR_KEY_DIR: keyDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        // the bench's own heap size is not the service's
        NODE_OPTIONS: '',
      };
      delete env.KAFKA_BROKERS;
      const started = performance.now();
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: SERVICE, env, stdio: ['ignore', 'ignore', 'pipe'] });
      let errors = '';
      child.stderr!.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-4_000)));
      try {
        const base = `http://127.0.0.1:${port}`;
        await waitReady(
          base,
          () => child.exitCode !== null,
          () => errors,
        );
        readyMs.push(performance.now() - started);
        if (start < starts) continue;
        const rssReadyBytes = await residentBytes(child.pid!);
        const pagesServed = await servePages(base, token);
        const rssServedBytes = await residentBytes(child.pid!);
        return { readyMs, rssReadyBytes, rssServedBytes, pagesServed };
      } finally {
        if (child.exitCode === null) {
          const exited = once(child, 'exit');
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
          await exited;
          clearTimeout(timer);
        }
      }
    }
  } finally {
    await rm(keyDir, { recursive: true, force: true });
  }
}

async function waitReady(base: string, exited: () => boolean, errors: () => string): Promise<void> {
  const deadline = Date.now() + READY_WITHIN_MS;
  for (;;) {
    const status = await fetch(`${base}/health/ready`).then(
      (answer) => answer.status,
      () => 0,
    );
    if (status === 200) return;
    if (exited()) throw new Error(`the follow-up service exited before it was ready: ${errors()}`);
    if (Date.now() > deadline) throw new Error(`the follow-up service was not ready within ${READY_WITHIN_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Admin Nasional's pages as staff page through them: first pages, filters, a search, and on by cursor. */
async function servePages(base: string, token: string): Promise<number> {
  const queries = ['', 'status=PROSES', 'kind=aspirasi', `q=${encodeURIComponent(COMMON_QUERY)}`];
  let served = 0;
  let cursor: string | null = null;
  while (served < PAGES) {
    const query = cursor ? `cursor=${encodeURIComponent(cursor)}` : queries[served % queries.length]!;
    const answer = await fetch(`${base}/inbox?${query}`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await answer.json()) as { nextCursor?: string | null };
    if (answer.status !== 200) throw new Error(`GET /inbox?${query} answered ${answer.status}: ${JSON.stringify(body)}`);
    served++;
    // every fifth page goes on from the one before, the rest start again
    cursor = served % 5 === 0 ? null : (body.nextCursor ?? null);
  }
  return served;
}

async function residentBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (!kib) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kib) * 1024;
}

/** The bench's Admin Nasional account (made once per database): its id for the token. */
async function adminNasional(url: string): Promise<{ accountId: string; role: string; nodeId: string; generation: number }> {
  const pool = new Pool({ connectionString: url, max: 1 });
  const store = await createPostgresEventStore({ pool });
  try {
    const password = 'bench-only-password';
    const { accounts } = await StaffAccounts.open(store, [{ username: USERNAME, role: 'admin_nasional', nodeId: 'nasional', password }]);
    const account = await accounts.authenticate(USERNAME, password);
    if (!account) throw new Error(`the bench account ${USERNAME} could not sign in`);
    return account;
  } finally {
    await store.close();
    await pool.end();
  }
}

/** A staff bearer token as POST /auth/token signs it (HS256 over the shared secret; a session of its own, the account's generation). */
function signToken(account: { accountId: string; role: string; nodeId: string; generation: number }, secret: string): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: account.accountId, role: account.role, nodeId: account.nodeId, sid: randomUUID(), gen: account.generation, iat: now, exp: now + 3_600 })}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}
