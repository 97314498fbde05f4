import { followEventLog, prepareAppliedPositions } from '@lapor/consumer-kit';
import type { ComplaintEvent } from '@lapor/domain';
import { buildServiceApp, openServerStores, type ServiceApp, type Stores } from '@lapor/http-kit';
import { masterKey } from '@lapor/personal-data';
import { createTestDatabase, type TestDatabase } from '@lapor/testing';
import fc from 'fast-check';
import { randomBytes, randomUUID } from 'node:crypto';
import { OPEN311_STATUS } from '../src/mapping';
import { open311Routes } from '../src/plugin';
import { createPublicListProjection } from '../src/public-list/projection';
import { queryPublicListPage, type PublicListFilter } from '../src/public-list/query';
import { preparePublicListTables, PUBLIC_LIST_SCHEMA } from '../src/public-list/tables';
import type { Open311Request } from '../src/schemas';
import { foldLog, type SubmittedComplaint } from './log-fold';
import { NODES, randomHistories, START } from './public-histories';

// The oracle: whatever the histories, the public list read page by page, under every filter and
// window, is the list a direct fold of the log gives (log-fold.ts): every complaint the public may
// see, none missing, none twice, none confidential, newest first (ties by complaint id).

const DAY = 86_400_000;
const NOW = START + 160 * DAY;

/** What GET requests.json lists, from the fold: the facade's rule restated from the outside. */
function expectedList(complaints: readonly SubmittedComplaint[], filter: PublicListFilter): SubmittedComplaint[] {
  return complaints
    .filter((complaint) => {
      const received = Date.parse(complaint.receivedAt);
      return (
        !complaint.confidential &&
        complaint.kind !== 'wbs' &&
        (!filter.serviceCodes || filter.serviceCodes.includes(complaint.kind)) &&
        (!filter.statuses || filter.statuses.includes(OPEN311_STATUS[complaint.status])) &&
        (!filter.instansiId || complaint.instansiId === filter.instansiId) &&
        received >= filter.receivedFrom &&
        received <= filter.receivedTo
      );
    })
    .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt) || (a.complaintId < b.complaintId ? 1 : -1));
}

const subsetOf = <T>(values: readonly T[]) => fc.option(fc.subarray([...values], { minLength: 1 }), { nil: undefined });
/** An instant on a receipt's day and minute, or between them: window edges that tie with receipts. */
const instant = fc.tuple(fc.integer({ min: -5, max: 160 }), fc.integer({ min: 0, max: 2 })).map(([day, minute]) => START + day * DAY + minute * 60_000);
const Filter = fc
  .record({
    serviceCodes: subsetOf(['pengaduan', 'aspirasi', 'permintaan_informasi']),
    statuses: subsetOf(['open', 'closed']),
    instansiId: fc.option(fc.constantFrom('ntt', 'batam'), { nil: undefined }),
    receivedFrom: instant,
    span: fc.integer({ min: 0, max: 90 * DAY }),
  })
  .map(({ serviceCodes, statuses, instansiId, receivedFrom, span }): PublicListFilter => ({
    ...(serviceCodes ? { serviceCodes } : {}),
    ...(statuses ? { statuses } : {}),
    ...(instansiId ? { instansiId } : {}),
    receivedFrom,
    receivedTo: receivedFrom + span,
  }));

describe('Open311’s public list against a direct fold of the log (PostgreSQL)', () => {
  let database: TestDatabase;
  let stores: Stores;
  let service: ServiceApp;
  let histories: ComplaintEvent[][];
  let folded: SubmittedComplaint[];
  /** Listed once every complaint was only submitted: before any became confidential at verification. */
  let listedWhenSubmitted: Set<string>;

  const append = async (batches: ComplaintEvent[][]) => {
    for (const events of batches) {
      if (events.length === 0) continue;
      const complaintId = (events[0]!.data as { complaintId: string }).complaintId;
      await stores.store.appendToStream(
        `complaint-${complaintId}`,
        events.map((event) => ({ id: randomUUID(), type: event.type, data: event.data, metadata: { schemaVersion: event.schemaVersion } })),
      );
    }
  };
  const listed = async () =>
    new Set((await stores.db.query<{ complaint_id: string }>(`SELECT complaint_id FROM ${PUBLIC_LIST_SCHEMA}.requests`)).map((row) => row.complaint_id));

  beforeAll(async () => {
    database = await createTestDatabase('open311_list_oracle');
    stores = await openServerStores({ connectionString: database.url, masterKey: masterKey(randomBytes(32)) });
    service = await buildServiceApp({
      store: stores.store,
      vault: stores.vault,
      db: stores.db,
      jwtSecret: 'x'.repeat(32),
      title: 'open311',
      tags: [],
      seedOrganisation: NODES,
      now: () => new Date(NOW).toISOString(),
      publicRateLimit: 1_000_000,
    });
    await service.app.register(open311Routes, { context: service.context, publicList: { db: stores.db } });
    await prepareAppliedPositions(stores.db);
    await preparePublicListTables(stores.db);
    histories = randomHistories(160, 20_240_301);
    // the later events carry the complaint id only in the stream name: keep it beside them
    const ids = histories.map((events) => (events[0]!.data as { complaintId: string }).complaintId);
    const errors: unknown[] = [];
    let applied = 0;
    // what a committed page had applied: handle runs inside the page's transaction, before its commit
    let committed = 0;
    const projection = createPublicListProjection();
    const following = followEventLog(
      stores.store,
      stores.db,
      {
        ...projection,
        handle: async (event, tx) => {
          await projection.handle(event, tx);
          applied++;
        },
        handlePage: async (events, tx) => {
          await projection.handlePage!(events, tx);
          applied += events.length;
        },
      },
      { onError: (error) => errors.push(error), onPosition: () => (committed = applied) },
    );
    const until = async (count: number) => {
      const deadline = Date.now() + 60_000;
      while (committed < count && errors.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      if (errors.length > 0) throw errors[0];
      expect(committed).toBe(count);
    };
    await append(histories.map((events) => events.slice(0, 1)));
    await until(histories.length);
    listedWhenSubmitted = await listed();
    for (const [index, events] of histories.entries()) {
      const rest = events.slice(1);
      if (rest.length > 0)
        await stores.store.appendToStream(
          `complaint-${ids[index]}`,
          rest.map((event) => ({ id: randomUUID(), type: event.type, data: event.data, metadata: { schemaVersion: event.schemaVersion } })),
        );
    }
    await until(histories.flat().length);
    await following.close();
    folded = await foldLog(stores.store);
    expect(folded).toHaveLength(histories.length);
  });
  afterAll(async () => {
    await service.app.close();
    await stores.close();
    await database.drop();
  });

  it('given the histories, then they are not trivial: confidential from the start and made so later, open and closed, in two instansi', () => {
    const shown = folded.filter((complaint) => !complaint.confidential && complaint.kind !== 'wbs');
    expect(folded.some((complaint) => complaint.kind === 'wbs')).toBe(true);
    expect(folded.some((complaint) => complaint.confidential && complaint.requestedProtection.confidential)).toBe(true);
    expect(folded.some((complaint) => complaint.confidential && !complaint.requestedProtection.confidential)).toBe(true);
    expect(new Set(shown.map((complaint) => OPEN311_STATUS[complaint.status]))).toEqual(new Set(['open', 'closed']));
    expect(new Set(shown.map((complaint) => complaint.instansiId)).size).toBeGreaterThan(1);
  });

  it('given complaints listed when submitted, when verification makes them confidential, then they leave the list', async () => {
    const madeConfidential = folded.filter((complaint) => complaint.confidential && !complaint.requestedProtection.confidential).map((c) => c.complaintId);
    expect(madeConfidential.every((complaintId) => listedWhenSubmitted.has(complaintId))).toBe(true);
    const now = await listed();
    expect(madeConfidential.filter((complaintId) => now.has(complaintId))).toEqual([]);
    // and a complaint confidential from the start was never listed at all
    const confidentialFromStart = folded.filter((complaint) => complaint.requestedProtection.confidential || complaint.kind === 'wbs');
    expect(confidentialFromStart.filter((complaint) => listedWhenSubmitted.has(complaint.complaintId))).toEqual([]);
  });

  it('given random filters, windows and page sizes, when the list is paged through, then it is the fold: each complaint once, in order', async () => {
    await fc.assert(
      fc.asyncProperty(Filter, fc.integer({ min: 1, max: 9 }), async (filter, pageSize) => {
        const expected = expectedList(folded, filter).map((complaint) => complaint.complaintId);
        const served: string[] = [];
        for (let page = 1; ; page++) {
          const { entries, more } = await queryPublicListPage(stores.db, filter, page, pageSize);
          served.push(...entries.map((entry) => entry.complaintId));
          // `more` says a next page exists exactly when the fold has more than these
          expect(more).toBe(served.length < expected.length);
          if (!more || served.length > expected.length) break;
        }
        expect(served).toEqual(expected);
        expect(new Set(served).size).toBe(served.length);
      }),
      { numRuns: 120, seed: 7 },
    );
  });

  it('given random queries, when an app pages through GET requests.json, then it is the fold read from each stream, confidential never shown, anonymous places coarse', async () => {
    const byTrackingId = new Map(folded.map((complaint) => [complaint.trackingId, complaint]));
    const Query = fc.record(
      {
        service_code: subsetOf(['pengaduan', 'aspirasi', 'permintaan_informasi']),
        status: subsetOf(['open', 'closed']),
        jurisdiction_id: fc.constantFrom('ntt', 'batam', 'nasional'),
        window: fc.option(Filter, { nil: undefined }),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(Query, fc.integer({ min: 1, max: 25 }), async (query, pageSize) => {
        const from = query.window?.receivedFrom ?? NOW - 90 * DAY;
        const to = query.window?.receivedTo ?? NOW;
        const filter: PublicListFilter = {
          ...(query.service_code ? { serviceCodes: query.service_code } : {}),
          ...(query.status ? { statuses: query.status } : {}),
          ...(query.jurisdiction_id && query.jurisdiction_id !== 'nasional' ? { instansiId: query.jurisdiction_id } : {}),
          receivedFrom: from,
          receivedTo: to,
        };
        const expected = expectedList(folded, filter).map((complaint) => complaint.trackingId);
        const params = new URLSearchParams({ page_size: String(pageSize) });
        if (query.service_code) params.set('service_code', query.service_code.join(','));
        if (query.status) params.set('status', query.status.join(','));
        if (query.jurisdiction_id) params.set('jurisdiction_id', query.jurisdiction_id);
        if (query.window) {
          params.set('start_date', new Date(from).toISOString());
          params.set('end_date', new Date(to).toISOString());
        }
        const served: Open311Request[] = [];
        for (let page = 1; ; page++) {
          params.set('page', String(page));
          const answer = await service.app.inject({ method: 'GET', url: `/open311/v2/requests.json?${params.toString()}` });
          expect(answer.statusCode).toBe(200);
          const items = answer.json<Open311Request[]>();
          served.push(...items);
          if (items.length < pageSize || served.length > expected.length) break;
        }
        expect(served.map((request) => request.service_request_id)).toEqual(expected);
        for (const request of served) {
          const complaint = byTrackingId.get(request.service_request_id)!;
          expect(complaint.confidential).toBe(false);
          expect(request.status).toBe(OPEN311_STATUS[complaint.status]);
          if (complaint.anonymous) expect([request.address, request.lat, request.long]).toEqual([null, -10.2, 123.6]);
          else expect([request.address, request.lat, request.long]).toEqual(['Jl. Soekarno-Hatta, Kupang', -10.1772, 123.607]);
        }
      }),
      { numRuns: 25, seed: 13 },
    );
  });
});
