import type { SqlRunner } from '@lapor/sql';
import { nameSchemas, Problem, requireStaff } from '@lapor/http-kit';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SMS_SCHEMA } from '../tables';

export const OutboxSummary = z.object({
  pending: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  /** When the oldest message still waiting was queued: how long a provider outage has held replies. */
  oldestPendingSince: z.string().nullable(),
  /** The latest messages that failed for good, with the reason (never the number, never the text). */
  recentFailures: z.array(z.object({ id: z.string(), key: z.string(), attempts: z.number().int(), reason: z.string().nullable(), queuedAt: z.string() })),
});

// Named after its operation, as the document first named it, so generated clients keep the type.
nameSchemas(
  { SmsOutboxSummaryAnswer: OutboxSummary },
  {
    SmsOutboxSummaryAnswer: {
      description: 'How many SMS replies wait, went out and failed for good, and the latest failures with the provider’s reason (never the number or the text)',
      examples: [
        {
          pending: 3,
          sent: 1284,
          failed: 1,
          oldestPendingSince: '2026-12-01T01:58:00.000Z',
          recentFailures: [
            {
              id: '4471',
              key: 'notice:3f2a9c1e-7b4d-4e8a-9c6f-1d2e3f4a5b6c:4',
              attempts: 5,
              reason: 'Nomor tujuan tidak aktif (ditolak penyedia, 400)',
              queuedAt: '2026-11-30T23:40:00.000Z',
            },
          ],
        },
      ],
    },
  },
);

/** For the operators of the channel (Admin Nasional): is the provider taking our messages? */
export async function outboxRoutes(app: FastifyInstance, options: { db: SqlRunner }): Promise<void> {
  const { db } = options;
  app.withTypeProvider<ZodTypeProvider>().get(
    '/channels/sms/outbox',
    {
      schema: {
        operationId: 'smsOutboxSummary',
        summary: 'SMS replies waiting, sent and failed',
        description: 'Admin Nasional. Replies held back by a provider outage show as pending; refusals (4xx) as failed, with the provider’s reason.',
        tags: ['sms'],
        security: [{ bearer: [] }],
        response: { 200: OutboxSummary, 401: Problem, 403: Problem },
      },
    },
    async (request) => {
      await requireStaff(request, ['admin_nasional']);
      const counts = await db.query<{ status: string; count: string | number; oldest: Date | string | null }>(
        `SELECT status, count(*) AS count, min(created_at) AS oldest FROM ${SMS_SCHEMA}.outbox GROUP BY status`,
      );
      const failures = await db.query<{ id: string; key: string; attempts: number; last_error: string | null; created_at: Date | string }>(
        `SELECT id, key, attempts, last_error, created_at FROM ${SMS_SCHEMA}.outbox WHERE status = 'failed' ORDER BY created_at DESC LIMIT 20`,
      );
      const count = (status: string) => Number(counts.find((row) => row.status === status)?.count ?? 0);
      const oldest = counts.find((row) => row.status === 'pending')?.oldest;
      return {
        pending: count('pending'),
        sent: count('sent'),
        failed: count('failed'),
        oldestPendingSince: oldest ? new Date(oldest).toISOString() : null,
        recentFailures: failures.map((row) => ({
          id: row.id,
          key: row.key,
          attempts: Number(row.attempts),
          reason: row.last_error,
          queuedAt: new Date(row.created_at).toISOString(),
        })),
      };
    },
  );
}
