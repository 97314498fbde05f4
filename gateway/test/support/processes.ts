import { repoRoot } from '@lapor/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';

// The services spawned here and the stores this test process opens (support/stores.ts) share one
// epoch key folder, as every process on one database must.
process.env.LAPOR_KEY_DIR ??= mkdtempSync(join(tmpdir(), 'lapor-keys-'));

/** A port nobody listens on now, from the system: fixed or random ranges collide across test files. */
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

/**
 * `services/<name>/src/main.ts` in a process of its own, as the distributed deployment runs it. Its
 * warnings and errors show beside the test's, so a service that cannot start says why; `quiet` hides
 * them where the test provokes them.
 */
export function spawnService(name: string, env: Record<string, string>, options: { quiet?: boolean } = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(repoRoot(), 'services', name, 'src', 'main.ts')], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', options.quiet ? 'ignore' : 'inherit'],
  });
}

/** Waits until each base URL answers /health/ready with 2xx; the deadline is generous, not a speed claim. */
export async function waitReady(urls: readonly string[], timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const url of urls) {
    for (;;) {
      const ready = await fetch(`${url}/health/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) break;
      if (Date.now() > deadline) throw new Error(`${url} did not become ready`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** SIGTERM, then SIGKILL for what has not exited after the grace period; resolves when all are gone. */
export async function stopAll(children: readonly ChildProcess[], graceMs = 15_000): Promise<void> {
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }),
  );
}
