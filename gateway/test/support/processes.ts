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

/** The spawned services by the base URL their PORT gives them, so a wait can tell that one has died. */
const spawnedAt = new Map<string, { name: string; child: ChildProcess }>();

/**
 * `services/<name>/src/main.ts` in a process of its own, as the distributed deployment runs it. Its
 * warnings and errors show beside the test's, so a service that cannot start says why; `quiet` hides
 * them where the test provokes them.
 */
export function spawnService(name: string, env: Record<string, string>, options: { quiet?: boolean } = {}): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot(), 'services', name, 'src', 'main.ts')], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', options.quiet ? 'ignore' : 'inherit'],
  });
  if (env.PORT) spawnedAt.set(`http://127.0.0.1:${env.PORT}`, { name, child });
  return child;
}

/** A probe that is accepted and never answered must not stall the wait; one answer takes far less. */
const PROBE_TIMEOUT_MS = 5_000;

/**
 * Waits until each base URL answers /health/ready with 2xx, probing all of them together; the
 * deadline is generous, not a speed claim. A set-up that cannot start says which process held it
 * up: a spawned service that exits fails the wait at once with its exit code, and at the deadline
 * the error names every URL not yet ready with the last thing it answered.
 */
export async function waitReady(urls: readonly string[], timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const lastSeen = new Map<string, string>();
  const label = (url: string) => (spawnedAt.has(url) ? `${spawnedAt.get(url)!.name} at ${url}` : url);
  const probe = async (url: string): Promise<boolean> => {
    const spawned = spawnedAt.get(url)?.child;
    if (spawned && (spawned.exitCode !== null || spawned.signalCode !== null))
      throw new Error(`${label(url)} exited (code ${spawned.exitCode ?? spawned.signalCode}) before it was ready; its stderr is above`);
    try {
      const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
      if (response.ok) return true;
      lastSeen.set(url, `${response.status} ${(await response.text()).slice(0, 300)}`);
    } catch (error) {
      lastSeen.set(url, failureOf(error));
    }
    return false;
  };
  let pending = [...urls];
  for (;;) {
    const ready = await Promise.all(pending.map(probe));
    pending = pending.filter((_, i) => !ready[i]);
    if (pending.length === 0) return;
    if (Date.now() > deadline)
      throw new Error(`not ready after ${timeoutMs} ms: ${pending.map((url) => `${label(url)} (last: ${lastSeen.get(url)})`).join('; ')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** What a failed probe ran into: a refused connection, a timeout, or whatever else fetch threw. */
function failureOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  if (cause?.code) return cause.code;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
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
