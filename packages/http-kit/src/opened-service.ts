import type { FastifyInstance } from 'fastify';

/**
 * A service's own tables and background work, opened before its routes are registered: the tables
 * made, its read side fed, its loops ready. `start` begins the loops (following the log, sweeping,
 * dispatching); `close` stops them and waits for the round in flight.
 */
export interface OpenedService {
  start(): void;
  close(): Promise<void>;
}

/**
 * Ties an opened service to the app serving its routes: the loops start once the app is ready (a
 * test or a document that never readies the app runs nothing behind its back) and stop when it closes.
 */
export function runWithApp(app: FastifyInstance, opened: OpenedService): void {
  app.addHook('onReady', async () => opened.start());
  app.addHook('onClose', () => opened.close());
}
