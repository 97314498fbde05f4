import { eventTypesIn, randomHistories, specDatabase, tree, writeByEventAndByPage } from '@lapor/complaint-histories';
import type { ComplaintEvent } from '@lapor/domain';
import type { SqlRunner } from '@lapor/sql';
import { interleavedLog } from '@lapor/testing';
import { createSmsNotifier, prepareSmsTables, SMS_ACTOR_PREFIX } from '../src';

// A page of events written at once leaves the notifier as the same events written one at a time:
// the SMS complaints kept, folded to the same state and version, and the same notices queued under
// the same keys (a complaint submitted by SMS and disposed within one page, one followed up in a
// later page), and no complaint from another channel kept.

/** Every other history's complaint came in by SMS: its submission made by the gateway's actor, with a sealed phone. */
function bySms(histories: ComplaintEvent[][]): ComplaintEvent[][] {
  return histories.map((events, index) => {
    if (index % 2 === 1) return events;
    const [submitted, ...rest] = events;
    if (submitted?.type !== 'ComplaintSubmitted') throw new Error('a history starts with its submission');
    const data = {
      ...submitted.data,
      channel: 'sms_1708' as const,
      by: { ...submitted.data.by, id: `${SMS_ACTOR_PREFIX}fake` },
      reporter: { sealed: `sealed-${index}`, keyId: `key-${index}` },
    };
    return [{ ...submitted, data }, ...rest];
  });
}

async function rowsOf(db: SqlRunner, schema: string): Promise<{ complaints: string[]; outbox: string[] }> {
  const complaints = await db.query<{ row: string }>(`SELECT t::text AS row FROM ${schema}.complaints t ORDER BY complaint_id`);
  // the instant a notice was queued is the clock's, not the events'
  const outbox = await db.query<{ row: string }>(
    `SELECT concat_ws('|', id, key, complaint_id, subject_id, sealed, ephemeral, body, status) AS row FROM ${schema}.outbox ORDER BY key`,
  );
  return { complaints: complaints.map(({ row }) => row), outbox: outbox.map(({ row }) => row) };
}

describe('the SMS notifier written a page at a time', () => {
  const spec = specDatabase('sms_notifier_page');

  it.each([
    [20_251_211, 25],
    [20_251_212, 7],
  ])(
    'given random histories taking turns in the log, half of them by SMS (seed %i), when written in pages of %i and event by event, then the same complaints are kept and the same notices queued',
    async (seed, pageSize) => {
      const { db } = spec;
      const histories = bySms(randomHistories(80, seed));
      expect(eventTypesIn(histories)).toMatchObject({ ComplaintDisposed: expect.any(Number), FollowUpPosted: expect.any(Number) });
      const log = interleavedLog(histories);
      const schemas = [`by_event_${seed}`, `by_page_${seed}`] as const;
      for (const schema of schemas) await prepareSmsTables(db, schema);
      const copies = {
        byEvent: createSmsNotifier({ tree: () => tree, schema: schemas[0] }),
        byPage: createSmsNotifier({ tree: () => tree, schema: schemas[1] }),
      };
      await writeByEventAndByPage(db, log, copies, pageSize);

      const one = await rowsOf(db, schemas[0]);
      expect(one.complaints).toHaveLength(40);
      expect(one.outbox.length).toBeGreaterThan(20);
      expect(await rowsOf(db, schemas[1])).toEqual(one);
    },
  );
});
