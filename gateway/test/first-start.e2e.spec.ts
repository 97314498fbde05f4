import { repoRoot } from '@lapor/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, stopAll, waitReady } from './support/processes';

// The gateway as an operator starts it (gateway/src/main.ts, embedded), on a fresh data folder: what
// it seeds and where it listens depend on what the operator asked for, never on a default password.

const README_PASSWORD = 'lapor-demo-2026';
const OPERATOR_PASSWORD = 'the-operator-chose-this-one';

interface Started {
  readonly child: ChildProcess;
  readonly base: string;
  readonly port: number;
  stdout: string;
  stderr: string;
}

const folders: string[] = [];
const children: ChildProcess[] = [];

async function startGateway(env: Record<string, string>): Promise<Started> {
  const dataDir = await mkdtemp(join(tmpdir(), 'lapor-first-start-'));
  folders.push(dataDir);
  const port = await freePort();
  const inherited = { ...process.env };
  // an operator's environment, not the test run's: embedded, no demo, no host unless the test says so
  for (const name of [
    'DATABASE_URL',
    'LAPOR_SERVICE_URLS',
    'HOST',
    'LAPOR_DEMO',
    'LAPOR_FIRST_ADMIN_PASSWORD',
    'LAPOR_FIRST_ADMIN_USERNAME',
    'LAPOR_DEMO_PASSWORD',
  ])
    delete inherited[name];
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot(), 'gateway', 'src', 'main.ts')], {
    env: { ...inherited, LOG_LEVEL: 'warn', PORT: String(port), LAPOR_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const started: Started = { child, base: `http://127.0.0.1:${port}`, port, stdout: '', stderr: '' };
  child.stdout!.on('data', (chunk: Buffer) => (started.stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (started.stderr += chunk.toString()));
  return started;
}

const signIn = (base: string, username: string, password: string) =>
  fetch(`${base}/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) }).then(
    (r) => r.status,
  );

/** An address of this machine that is not loopback, if it has one. */
const outsideAddress = (): string | undefined =>
  Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)?.address;

describe('the gateway’s first start (gateway/src/main.ts, embedded)', () => {
  afterAll(async () => {
    await stopAll(children);
    await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
  });

  it('given a fresh store, no LAPOR_DEMO and no first administrator, when started, then it refuses to start and tells the operator how', async () => {
    const gateway = await startGateway({});
    const [code] = (await once(gateway.child, 'exit')) as [number | null];
    expect(code).toBe(2);
    expect(gateway.stderr).toContain('LAPOR_FIRST_ADMIN_PASSWORD');
    expect(gateway.stderr).toContain('LAPOR_DEMO=1');
  }, 60_000);

  it('given a fresh store and the operator’s password, no LAPOR_DEMO, when started, then no demo account exists, the first administrator signs in, and it listens on 127.0.0.1 only', async () => {
    const gateway = await startGateway({ LAPOR_FIRST_ADMIN_PASSWORD: OPERATOR_PASSWORD });
    await waitReady([gateway.base]);
    for (const demo of ['admin-nasional', 'admin-ntt', 'penghubung-pupr', 'penghubung-dikbud'])
      expect(await signIn(gateway.base, demo, README_PASSWORD)).toBe(401);
    expect(await signIn(gateway.base, 'admin', OPERATOR_PASSWORD)).toBe(200);
    expect(await signIn(gateway.base, 'admin', README_PASSWORD)).toBe(401);
    expect(gateway.stdout).toContain('listening on 127.0.0.1');
    const outside = outsideAddress();
    if (outside) await expect(fetch(`http://${outside}:${gateway.port}/health/live`)).rejects.toThrow();
    await stopAll([gateway.child]);
  }, 120_000);

  it('given a fresh store and LAPOR_DEMO=1, when started, then the demo accounts sign in with the README’s password as before', async () => {
    const gateway = await startGateway({ LAPOR_DEMO: '1' });
    await waitReady([gateway.base]);
    expect(await signIn(gateway.base, 'admin-ntt', README_PASSWORD)).toBe(200);
    expect(await signIn(gateway.base, 'admin-nasional', README_PASSWORD)).toBe(200);
    await stopAll([gateway.child]);
  }, 120_000);
});
