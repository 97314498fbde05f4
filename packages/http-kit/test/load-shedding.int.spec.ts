import Fastify, { type FastifyInstance } from 'fastify';
import { loadShedding, type LoadSheddingOptions } from '../src/load-shedding';
import { problemHandlers } from '../src/problem';

/** A process bounded at `maxInFlight`, whose /slow requests wait until the spec lets them go. */
async function busyProcess(
  bounds: LoadSheddingOptions,
): Promise<{ app: FastifyInstance; base: string; waiters: Array<() => void>; waiting(): number; release(): void }> {
  const waiters: Array<() => void> = [];
  const app = Fastify({ forceCloseConnections: true });
  await app.register(problemHandlers);
  await app.register(loadShedding, bounds);
  app.get('/health/live', async () => ({ status: 'ok' }));
  app.get('/slow', () => new Promise((resolve) => waiters.push(() => resolve({ done: true }))));
  app.get('/fast', async () => ({ done: true }));
  // work on the event loop, as PGlite does: 200 ms slices for 2 s, yielding between them
  app.get('/on-the-loop', async () => {
    for (let slice = 0; slice < 10; slice++) {
      const until = Date.now() + 200;
      while (Date.now() < until);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return { done: true };
  });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, base, waiters, waiting: () => waiters.length, release: () => waiters.splice(0).forEach((go) => go()) };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

describe('load shedding: bounds on requests in progress (LAPOR_MAX_IN_FLIGHT) and on the event loop’s delay', () => {
  it('given the bound at 2 and two slow requests in progress, when a third comes, then 503 problem+json with Retry-After at once, and liveness still 200', async () => {
    const busy = await busyProcess({ maxInFlight: 2 });
    try {
      const first = fetch(`${busy.base}/slow`);
      const second = fetch(`${busy.base}/slow`);
      await until(() => busy.waiting() === 2);

      const third = await fetch(`${busy.base}/fast`);
      expect(third.status).toBe(503);
      expect(third.headers.get('content-type')).toContain('application/problem+json');
      expect(third.headers.get('retry-after')).toBe('1');
      expect(await third.json()).toMatchObject({ type: 'https://lapor.go.id/problems/overloaded', status: 503 });

      const live = await fetch(`${busy.base}/health/live`);
      expect(live.status).toBe(200);

      busy.release();
      expect((await first).status).toBe(200);
      expect((await second).status).toBe(200);
    } finally {
      busy.release();
      await busy.app.close();
    }
  });

  it('given the requests in progress were answered, or their clients went away, then room is made again', async () => {
    const busy = await busyProcess({ maxInFlight: 2 });
    try {
      const answered = fetch(`${busy.base}/slow`);
      const goneAway = new AbortController();
      const abandoned = fetch(`${busy.base}/slow`, { signal: goneAway.signal }).catch(() => 'aborted');
      await until(() => busy.waiting() === 2);
      expect((await fetch(`${busy.base}/fast`)).status).toBe(503);

      // the first is answered; the second's client hangs up while its handler still works
      busy.waiters[0]?.();
      expect((await answered).status).toBe(200);
      goneAway.abort();
      await abandoned;

      const statuses: number[] = [];
      for (let i = 0; i < 50 && statuses.at(-1) !== 200; i++) statuses.push((await fetch(`${busy.base}/fast`)).status);
      expect(statuses.at(-1)).toBe(200);
      expect((await fetch(`${busy.base}/fast`)).status).toBe(200);
    } finally {
      busy.release();
      await busy.app.close();
    }
  });

  it('given the event loop kept busy past its bound, then requests are answered 503 with Retry-After until it catches up, liveness still 200', async () => {
    const busy = await busyProcess({ maxEventLoopDelayMs: 50 });
    try {
      expect((await fetch(`${busy.base}/fast`)).status).toBe(200);
      expect((await fetch(`${busy.base}/on-the-loop`)).status).toBe(200);

      const shed = await fetch(`${busy.base}/fast`);
      expect(shed.status).toBe(503);
      expect(shed.headers.get('retry-after')).toBe('1');
      expect(await shed.json()).toMatchObject({ type: 'https://lapor.go.id/problems/overloaded', detail: expect.stringContaining('behind on its work') });
      expect((await fetch(`${busy.base}/health/live`)).status).toBe(200);

      // a second or two of quiet, and it takes work again
      const statuses: number[] = [];
      for (let i = 0; i < 40 && statuses.at(-1) !== 200; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        statuses.push((await fetch(`${busy.base}/fast`)).status);
      }
      expect(statuses.at(-1)).toBe(200);
    } finally {
      await busy.app.close();
    }
  });
});
