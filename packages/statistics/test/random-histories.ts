import type { ComplaintEvent } from '@lapor/domain';
import type { EventStore } from '@lapor/event-store';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { localDateOf } from '../src';
import { Story } from './story';

// Random complaint histories across the small NTT tree, written through the real decider.

export const START = Date.parse('2024-01-01T00:00:00+08:00');
export const dateOf = (dayOffset: number): string => localDateOf(new Date(START + dayOffset * 86_400_000).toISOString(), 'Asia/Makassar');
const at = (dayOffset: number, hour = 9): string => new Date(START + dayOffset * 86_400_000 + hour * 3_600_000).toISOString();

const Plan = fc.record({
  receivedDay: fc.integer({ min: 0, max: 500 }),
  stage: fc.constantFrom('submitted', 'postponed', 'archived', 'disposed', 'followedUp', 'completed', 'rated', 'subunit'),
  unit: fc.constantFrom('pupr', 'dikbud'),
  gaps: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 4, maxLength: 4 }),
  rating: fc.integer({ min: 1, max: 5 }),
});
export type Plan = typeof Plan extends fc.Arbitrary<infer T> ? T : never;

export function tell(plan: Plan, index: number): ComplaintEvent[] {
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
  if (plan.stage === 'disposed') return (g2 > 5 ? story.firstFollowUpBreached(at(day + 5, 23), next(g2), g2 - 5) : story).events;
  story.followUp(unit, next(g2));
  if (plan.stage === 'followedUp') return story.events;
  story.complete(next(g3 + 10));
  return plan.stage === 'rated' ? story.rate(plan.rating, next(g4)).events : story.events;
}

export const randomHistories = (count: number, seed: number): ComplaintEvent[][] =>
  fc.sample(Plan, { numRuns: count, seed }).map((plan, index) => tell(plan, index));

export async function appendHistories(store: EventStore, histories: readonly ComplaintEvent[][]): Promise<number> {
  for (const events of histories) {
    const complaintId = (events[0]!.data as { complaintId: string }).complaintId;
    await store.appendToStream(
      `complaint-${complaintId}`,
      events.map((event) => ({ id: randomUUID(), type: event.type, data: event.data, metadata: { schemaVersion: event.schemaVersion } })),
    );
  }
  return histories.reduce((sum, events) => sum + events.length, 0);
}

/** A random question for the recap: a period of receipt, perhaps a moment (noon WITA), one of the nodes. */
export const RecapQuestion = fc
  .tuple(
    fc.integer({ min: 0, max: 520 }),
    fc.integer({ min: 1, max: 400 }),
    fc.option(fc.integer({ min: 0, max: 560 }), { nil: undefined }),
    fc.constantFrom('ntt', 'dikbud', 'nasional'),
  )
  .map(([fromDay, length, asOfDay, nodeId]) => ({
    period: { from: dateOf(fromDay), to: dateOf(fromDay + length - 1) },
    ...(asOfDay === undefined ? {} : { asOf: new Date(`${dateOf(asOfDay)}T04:00:00Z`) }),
    nodeId,
  }));
