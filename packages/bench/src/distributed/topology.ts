import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setPriority } from 'node:os';

/** The processes of the distributed set, as infra/start-distributed.sh runs them; the gateway forwards to all but SMS. */
export const SERVICES = ['intake', 'verification', 'disposition', 'follow-up', 'statistics', 'scheduler', 'sms', 'webhooks', 'administration'] as const;
export const READ_SIDES = ['follow-up', 'statistics', 'scheduler', 'sms', 'webhooks'] as const;
export type ProcessName = 'gateway' | 'relay' | (typeof SERVICES)[number];

const REPO = join(__dirname, '..', '..', '..', '..');
/**
 * The processes no write waits for, at a lower CPU priority than the ones that answer the writes:
 * the list infra/start-distributed.sh starts with `nice -n 10` (its `background=` line), read from
 * there so the bench runs what the script runs. On a shared machine a read side catching up then takes
 * the cores only when the request path leaves them.
 */
const BACKGROUND = new Set(/^background="([^"]*)"$/m.exec(readFileSync(join(REPO, 'infra', 'start-distributed.sh'), 'utf8'))?.[1]?.split(' ') ?? []);
const BACKGROUND_NICENESS = 10;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

export async function waitReady(url: string, timeoutMs = 120_000, probe: 'ready' | 'live' = 'ready'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (
    !(await fetch(`${url}/health/${probe}`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (Date.now() > deadline) throw new Error(`${url} did not become ready within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * The whole set on this machine, each process spawned here so the bench can read its CPU time, SIGKILL
 * it and start it again. Every process logs to `<logDir>/<name>.log`.
 */
export class Topology {
  private readonly children = new Map<ProcessName, ChildProcess>();
  readonly urls = new Map<ProcessName, string>();

  constructor(
    private readonly env: (name: ProcessName) => Record<string, string>,
    private readonly logDir: string,
  ) {}

  get gatewayUrl(): string {
    return this.urls.get('gateway')!;
  }

  /** The gateway first (it seeds the organisation the services load), then the others, each ready. */
  async start(): Promise<void> {
    for (const name of [...SERVICES, 'relay', 'gateway'] as const) this.urls.set(name, `http://127.0.0.1:${await freePort()}`);
    const serviceUrls = SERVICES.map((name) => `${name}=${this.urls.get(name)}`).join(',');
    this.spawn('gateway', { LAPOR_SERVICE_URLS: serviceUrls });
    // live, not ready: the gateway is ready only once the services it forwards to are
    await waitReady(this.gatewayUrl, 120_000, 'live');
    for (const name of [...SERVICES, 'relay'] as const) this.spawn(name);
    await Promise.all([...SERVICES, 'relay', 'gateway'].map((name) => waitReady(this.urls.get(name as ProcessName)!)));
  }

  /** Spawns `name` again on its port, as an operator's supervisor would after a crash. */
  restart(name: ProcessName): void {
    this.spawn(name);
  }

  kill(name: ProcessName): void {
    this.children.get(name)?.kill('SIGKILL');
  }

  pids(): Map<ProcessName, number> {
    const pids = new Map<ProcessName, number>();
    for (const [name, child] of this.children) if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) pids.set(name, child.pid);
    return pids;
  }

  async stop(): Promise<void> {
    await Promise.all(
      [...this.children.values()].map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }),
    );
  }

  private spawn(name: ProcessName, extra: Record<string, string> = {}): void {
    const main = name === 'gateway' ? join(REPO, 'gateway', 'src', 'main.ts') : join(REPO, 'services', name, 'src', 'main.ts');
    const log = createWriteStream(join(this.logDir, `${name}.log`), { flags: 'a' });
    const port = new URL(this.urls.get(name)!).port;
    const child = spawn(process.execPath, ['--import', 'tsx', main], {
      cwd: name === 'gateway' ? join(REPO, 'gateway') : join(REPO, 'services', name),
      env: { ...process.env, ...this.env(name), ...extra, PORT: port, HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (BACKGROUND.has(name) && child.pid !== undefined) setPriority(child.pid, BACKGROUND_NICENESS);
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    this.children.set(name, child);
  }
}
