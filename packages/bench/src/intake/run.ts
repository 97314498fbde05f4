import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface LoadResult {
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly non2xx: number;
}

/** Starts `server.ts` in its own process and resolves with its address once it listens. */
export async function startServer(
  mode: 'gateway' | 'bare',
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'server.ts'), mode, databaseUrl], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
    lines.on('line', (line) => {
      if (line.startsWith('ready ')) resolve(line.slice('ready '.length));
    });
  });
  return { url, child };
}

export async function load(url: string, connections: number, seconds: number, headers: Record<string, string>, body: string): Promise<LoadResult> {
  const result = await autocannon({
    url: `${url}/complaints`,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { perSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors, non2xx: result.non2xx };
}

/**
 * Waits until every read side of the gateway at `url` has applied the whole log (its /metrics shows
 * no lag): a gateway still applying the events of the case before takes CPU from the one measured
 * next (the seven read sides of the 64-connection case ran on into the traced comparison).
 */
export async function caughtUp(url: string, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await (await fetch(`${url}/metrics`)).text();
    const lags = text.split('\n').filter((line) => line.startsWith('lapor_read_model_lag_events'));
    if (lags.length > 0 && lags.every((line) => Number(line.split(' ').at(-1)) === 0)) return;
    if (Date.now() > deadline) throw new Error(`the read sides at ${url} did not catch up: ${lags.join('; ')}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A collector that takes OTLP/HTTP exports and drops them: what tracing costs the server, not a collector's work. */
export async function startTraceSink(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${address.port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
