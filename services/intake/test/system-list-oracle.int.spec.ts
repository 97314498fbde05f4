import { followEventLog, prepareAppliedPositions } from '@lapor/consumer-kit';
import { STATUS_LABELS, type Actor, type ComplaintEvent, type ComplaintStatus } from '@lapor/domain';
import { buildServiceApp, type ServiceApp, type Stores } from '@lapor/http-kit';
import { PUBLIC_EVENT_LABELS } from '@lapor/submission';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { createSystemListProjection } from '../src/integrations/system-list/projection';
import { prepareSystemListTables } from '../src/integrations/system-list/tables';
import { intakeRoutes } from '../src/plugin';
import { foldLog, type FoldedComplaint } from './log-fold';
import { NODES, randomHistories, START } from './system-histories';
import { STORES } from './support';

// The oracle: whatever the histories, what GET /integrations/complaints answers a system, page by
// page, under every filter, is the list a direct fold of the log gives (log-fold.ts): the complaints
// its key's scope sent, each once, none of anyone else's, oldest change first (ties by complaint id),
// with the total on every page.

const MINUTE = 60_000;
// the statuses the histories reach, and one they never do (SELESAI)
const STATUSES: ComplaintStatus[] = ['BELUM_TERVERIFIKASI', 'BELUM_DITINDAKLANJUTI', 'PROSES', 'ARSIP', 'SELESAI'];

interface Filter {
  readonly status?: ComplaintStatus;
  readonly updatedSince?: string;
}

/** What the list answers, from the fold: the route's rule restated from the outside. */
function expectedList(complaints: readonly FoldedComplaint[], scope: string, filter: Filter) {
  const since = filter.updatedSince === undefined ? -Infinity : Date.parse(filter.updatedSince);
  return complaints
    .filter((c) => c.scope === scope && (!filter.status || c.state.status === filter.status) && Date.parse(c.lastChange.at) >= since)
    .sort((a, b) => Date.parse(a.lastChange.at) - Date.parse(b.lastChange.at) || (a.complaintId < b.complaintId ? -1 : 1))
    .map((c) => ({
      externalReference: c.externalReference,
      trackingId: c.state.trackingId,
      complaintId: c.complaintId,
      kind: c.state.kind,
      status: c.state.status,
      statusLabel: STATUS_LABELS[c.state.status],
      receivedAt: c.state.receivedAt,
      lastChange: { at: c.lastChange.at, event: c.lastChange.type, label: PUBLIC_EVENT_LABELS[c.lastChange.type] ?? null },
      version: c.version.toString(),
    }));
}

/** The instant written with another offset, as a system in WITA might send it. */
const inWita = (ms: number): string => `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, -1)}+08:00`;

const QueryFilter = fc.record(
  {
    status: fc.constantFrom(...STATUSES),
    // on a minute changes fall on, or just before one, or between two: edges that tie with last changes
    updatedSince: fc
      .tuple(
        fc.oneof({ weight: 3, arbitrary: fc.integer({ min: -2, max: 40 }) }, { weight: 1, arbitrary: fc.integer({ min: 40, max: 200 }) }),
        fc.constantFrom(0, 0, 1, 30_000),
        fc.boolean(),
      )
      .map(([minute, offset, wita]) => (wita ? inWita : (ms: number) => new Date(ms).toISOString())(START + minute * MINUTE - offset)),
  },
  { requiredKeys: [] },
);

describe.each(STORES)('the integrating systems’ list against a direct fold of the log, on %s', (_name, openStores) => {
  let stores: Stores;
  let service: ServiceApp;
  /** Each key, and the scope it lists (two keys of NTT share one). */
  let keys: Array<{ key: string; scope: string }>;
  let folded: FoldedComplaint[];
  let histories: ComplaintEvent[][];

  const list = (key: string, query: Record<string, string>) =>
    service.app.inject({ method: 'GET', url: `/integrations/complaints?${new URLSearchParams(query).toString()}`, headers: { 'x-api-key': key } });

  /** Every page of the list, in turn, until a short one; each page's own answer checked on the way. */
  const pageThrough = async (key: string, filter: Filter, pageSize: number, expectedTotal: number) => {
    const served: unknown[] = [];
    for (let page = 1; ; page++) {
      const answer = await list(key, { ...filter, page: String(page), pageSize: String(pageSize) });
      expect(answer.statusCode).toBe(200);
      const body = answer.json<{ page: number; pageSize: number; total: number; items: unknown[] }>();
      expect({ page: body.page, pageSize: body.pageSize, total: body.total }).toEqual({ page, pageSize, total: expectedTotal });
      served.push(...body.items);
      if (body.items.length < pageSize || served.length > expectedTotal) return served;
    }
  };

  /** Every page by cursor (limit, then each nextCursor) until the last; the Link header says the same as nextCursor. */
  const cursorThrough = async (key: string, filter: Filter, limit: number, expectedTotal: number) => {
    const served: unknown[] = [];
    let cursor: string | null = null;
    do {
      const answer = await list(key, { ...filter, limit: String(limit), ...(cursor === null ? {} : { cursor }) });
      expect(answer.statusCode).toBe(200);
      const body = answer.json<{ total: number; items: unknown[]; nextCursor: string | null }>();
      expect(body.total).toBe(expectedTotal);
      expect(body.items.length).toBeLessThanOrEqual(limit);
      expect(answer.headers.link === undefined).toBe(body.nextCursor === null);
      served.push(...body.items);
      if (served.length > expectedTotal) return served;
      cursor = body.nextCursor;
    } while (cursor !== null);
    return served;
  };

  beforeAll(async () => {
    stores = await openStores();
    service = await buildServiceApp({
      store: stores.store,
      vault: stores.vault,
      db: stores.db,
      jwtSecret: 'x'.repeat(32),
      title: 'intake',
      tags: [],
      seedOrganisation: NODES,
      publicRateLimit: 1_000_000,
    });
    await service.app.register(intakeRoutes, { context: service.context, systemList: { db: stores.db } });
    const { context } = service;
    const issue = async (instansiId: string | null) => {
      const { key, apiKey } = await context.apiKeys.issue({ name: 'sistem', instansiId, channels: ['integration'], issuedBy: 'admin', at: context.now() });
      return { key, actor: { role: 'integration', id: apiKey.keyId, nodeId: instansiId } as Actor };
    };
    const issued = [await issue('ntt'), await issue('ntt'), await issue('batam'), await issue(null), await issue(null), await issue(null)];
    // the last national key sends nothing: its list is empty
    const senders = issued.slice(0, -1).map((system) => system.actor);
    keys = issued.map(({ key, actor }) => ({ key, scope: actor.nodeId ? `instansi:${actor.nodeId}` : `key:${actor.id}` }));

    await prepareAppliedPositions(stores.db);
    await prepareSystemListTables(stores.db);
    histories = randomHistories(120, 20_241_104, senders);
    const errors: unknown[] = [];
    let applied = 0;
    // what a committed page had applied: handle runs inside the page's transaction, before its commit
    let committed = 0;
    const projection = createSystemListProjection();
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
    const append = async (batches: ComplaintEvent[][]) => {
      for (const [index, events] of batches.entries()) {
        if (events.length === 0) continue;
        const complaintId = (histories[index]![0]!.data as { complaintId: string }).complaintId;
        await stores.store.appendToStream(
          `complaint-${complaintId}`,
          events.map((event) => ({ id: randomUUID(), type: event.type, data: event.data, metadata: { schemaVersion: event.schemaVersion } })),
        );
      }
    };
    // first every submission, then what became of each: rows move along the list's index
    await append(histories.map((events) => events.slice(0, 1)));
    await until(histories.length);
    const submittedOnly = await foldLog(stores.store);
    for (const { key, scope } of keys) {
      const expected = expectedList(submittedOnly, scope, {});
      expect(await pageThrough(key, {}, 200, expected.length)).toEqual(expected);
    }
    await append(histories.map((events) => events.slice(1)));
    await until(histories.flat().length);
    await following.close();
    folded = await foldLog(stores.store);
    expect(folded).toHaveLength(histories.length);
  });
  afterAll(async () => {
    await service.app.close();
    await stores.close();
  });

  it('given the histories, then they are not trivial: several scopes, statuses and senders, ties on the last change within a list', () => {
    const bySystems = folded.filter((complaint) => complaint.scope !== null);
    expect(new Set(bySystems.map((complaint) => complaint.scope)).size).toBe(4);
    expect(folded.length - bySystems.length).toBeGreaterThan(10);
    expect(new Set(bySystems.map((complaint) => complaint.state.status))).toEqual(new Set(['BELUM_TERVERIFIKASI', 'BELUM_DITINDAKLANJUTI', 'PROSES', 'ARSIP']));
    expect(bySystems.some((complaint) => complaint.externalReference === null)).toBe(true);
    const changes = bySystems.map((complaint) => `${complaint.scope} ${Date.parse(complaint.lastChange.at)}`);
    expect(new Set(changes).size).toBeLessThan(changes.length);
  });

  it('given random filters and page sizes, when each system pages through its list, then it is the fold: its own complaints, each once, in order, with the total', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(keys.length - 1), QueryFilter, fc.integer({ min: 1, max: 9 }), async (which, filter, pageSize) => {
        const { key, scope } = keys[which]!;
        const expected = expectedList(folded, scope, filter);
        const served = await pageThrough(key, filter, pageSize, expected.length);
        expect(served).toEqual(expected);
        expect(new Set(served.map((item) => (item as { complaintId: string }).complaintId)).size).toBe(served.length);
      }),
      { numRuns: 80, seed: 17 },
    );
  });

  it('given random filters and limits, when each system follows nextCursor through its list, then it is the fold: each once, in order, ties on the last change too', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(keys.length - 1), QueryFilter, fc.integer({ min: 1, max: 9 }), async (which, filter, limit) => {
        const { key, scope } = keys[which]!;
        const expected = expectedList(folded, scope, filter);
        expect(await cursorThrough(key, filter, limit, expected.length)).toEqual(expected);
      }),
      { numRuns: 60, seed: 18 },
    );
  });

  it('given a page past the end, then no items, and still the total', async () => {
    const { key, scope } = keys[0]!;
    const total = expectedList(folded, scope, {}).length;
    const answer = await list(key, { page: '1000', pageSize: '50' });
    expect(answer.json()).toEqual({ page: 1000, pageSize: 50, total, items: [], nextCursor: null });
  });
});
