import { PGlite } from '@electric-sql/pglite';
import { followEventLog, prepareAppliedPositions } from '@lapor/consumer-kit';
import type { ComplaintEvent } from '@lapor/domain';
import { createPGliteEventStore, createPGliteRunner, type EventStore, type SqlRunner } from '@lapor/event-store';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { prepareStatisticsTables, queryUnitRecap, statisticsProjection, unitRecap } from '../src';
import { Story, tree } from './story';

// The oracle: whatever the histories and whatever the question (period, moment), the table the read
// model serves equals the table computed by folding the event log directly.

const START = Date.parse('2024-01-01T00:00:00+08:00');
const at = (dayOffset: number, hour = 9): string => new Date(START + dayOffset * 86_400_000 + hour * 3_600_000).toISOString();

const Plan = fc.record({
  receivedDay: fc.integer({ min: 0, max: 500 }),
  stage: fc.constantFrom('submitted', 'postponed', 'archived', 'disposed', 'followedUp', 'completed', 'rated', 'subunit'),
  unit: fc.constantFrom('pupr', 'dikbud'),
  gaps: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 4, maxLength: 4 }),
  rating: fc.integer({ min: 1, max: 5 }),
});
type Plan = typeof Plan extends fc.Arbitrary<infer T> ? T : never;

function tell(plan: Plan, index: number): ComplaintEvent[] {
  const [g1, g2, g3, g4] = plan.gaps as [number, number, number, number];
  let day = plan.receivedDay;
  const next = (gap: number) => at((day += gap), 10 + (index % 5));
  const story = new Story(`oracle-${index}`, at(day));
  if (plan.stage === 'postponed') return story.postpone(next(g1)).events;
  if (plan.stage === 'archived') return story.archive(next(g1)).events;
  if (plan.stage === 'submitted') return story.events;
  const unit = plan.stage === 'subunit' ? 'dikbud' : plan.unit;
  story.verify(next(g1)).dispose(unit, next(0));
  if (plan.stage === 'subunit') return story.dispose('dikbud-sma', next(g2), { role: 'liaison', id: 'pp-dikbud', nodeId: 'dikbud' }).events;
  if (plan.stage === 'disposed') return story.events;
  story.followUp(unit, next(g2));
  if (plan.stage === 'followedUp') return story.events;
  story.complete(next(g3 + 10));
  return plan.stage === 'rated' ? story.rate(plan.rating, next(g4)).events : story.events;
}

describe('the recap read model against the event log', () => {
  let pglite: PGlite;
  let store: EventStore;
  let db: SqlRunner;
  const histories: ComplaintEvent[][] = [];

  beforeAll(async () => {
    pglite = await PGlite.create();
    store = await createPGliteEventStore({ pglite });
    db = createPGliteRunner(pglite, { ownsDatabase: false });
    await prepareAppliedPositions(db);
    await prepareStatisticsTables(db);

    const plans = fc.sample(Plan, { numRuns: 120, seed: 20_241_231 });
    plans.forEach((plan, index) => histories.push(tell(plan, index)));
    for (const events of histories) {
      const complaintId = (events[0]!.data as { complaintId: string }).complaintId;
      await store.appendToStream(
        `complaint-${complaintId}`,
        events.map((event) => ({ id: randomUUID(), type: event.type, data: event.data, metadata: { schemaVersion: event.schemaVersion } })),
      );
    }
    const total = histories.reduce((sum, events) => sum + events.length, 0);
    let applied = 0;
    const errors: unknown[] = [];
    const following = followEventLog(store, db, { ...statisticsProjection, handle: async (event, tx) => {
        await statisticsProjection.handle(event, tx);
        applied++;
      } }, { onError: (error) => errors.push(error) });
    const deadline = Date.now() + 60_000;
    while (applied < total && errors.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await following.close();
    if (errors.length > 0) throw errors[0];
  });
  afterAll(async () => {
    await store.close();
    await pglite.close();
  });

  it('given the whole range, then every column has something in it (the histories are not trivial)', async () => {
    const whole = await queryUnitRecap(db, tree, { receivedFrom: new Date(START), receivedBefore: new Date(START + 600 * 86_400_000), nodeId: 'ntt' });
    for (const column of ['belumTerverifikasi', 'belumDitindaklanjuti', 'proses', 'selesai', 'tunda', 'arsip'] as const) expect(whole.total[column]).toBeGreaterThan(0);
    expect(whole.total.rhp).toBeGreaterThan(0);
    expect(whole.total.rtl).toBeGreaterThan(0);
  });

  it('given random histories, for random periods and moments, then the served recap equals the fold of the log', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 520 }),
        fc.integer({ min: 1, max: 400 }),
        fc.option(fc.integer({ min: 0, max: 560 }), { nil: undefined }),
        fc.constantFrom('ntt', 'dikbud', 'nasional'),
        async (fromDay, length, asOfDay, nodeId) => {
          const query = {
            receivedFrom: new Date(START + fromDay * 86_400_000),
            receivedBefore: new Date(START + (fromDay + length) * 86_400_000),
            ...(asOfDay === undefined ? {} : { asOf: new Date(START + asOfDay * 86_400_000 + 12 * 3_600_000) }),
            nodeId,
          };
          expect(await queryUnitRecap(db, tree, query)).toEqual(unitRecap(histories, tree, query));
        },
      ),
      { numRuns: 60, seed: 7 },
    );
  });
});
