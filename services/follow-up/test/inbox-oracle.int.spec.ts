import { followEventLog, prepareAppliedPositions } from '@lapor/consumer-kit';
import type { Subscription } from '@lapor/event-store';
import type { ComplaintEvent } from '@lapor/domain';
import { openServerStores, type Stores } from '@lapor/http-kit';
import { masterKey } from '@lapor/personal-data';
import { createTestDatabase, type TestDatabase } from '@lapor/testing';
import fc from 'fast-check';
import { randomBytes, randomUUID } from 'node:crypto';
import { createInboxProjection } from '../src/inbox/projection';
import { countInbox, decodeCursor, queryInboxPage, WIDE_SEARCH_WINDOWS, type InboxFilter, type SearchScope, type WideSearchWindows } from '../src/inbox/query';
import { prepareInboxTables } from '../src/inbox/tables';
import { NODES, randomHistories, TOPICS, tree } from '@lapor/complaint-histories';
import { foldLog, type FoldedComplaint } from './log-fold';

// The oracle: whatever the histories, every node's inbox read page by page from the read model, under
// every filter, is the list a direct fold of the log gives (log-fold.ts, with the decider's evolve):
// the same complaints with the same reason, none missing, none twice, newest first; and paging on
// while complaints keep arriving changes none of the pages still to come.

/** Why the node sees the complaint, as /inbox has always said it. */
function relationOf({ state, handledBy }: FoldedComplaint, nodeId: string): 'holder' | 'tembusan' | 'below' | null {
  if (state.holder.id === nodeId) return 'holder';
  if (state.tembusan.includes(nodeId)) return 'tembusan';
  if (handledBy.some((handler) => handler !== nodeId && tree.isWithinScope(handler, nodeId))) return 'below';
  return null;
}

function expectedInbox(complaints: readonly FoldedComplaint[], nodeId: string, filter: InboxFilter) {
  const from = filter.from ? Date.parse(filter.from) : -Infinity;
  const to = filter.to ? Date.parse(filter.to) : Infinity;
  return complaints
    .flatMap((complaint) => {
      const { state } = complaint;
      const relation = relationOf(complaint, nodeId);
      if (relation === null) return [];
      if (filter.status && state.status !== filter.status) return [];
      if (filter.kind && state.kind !== filter.kind) return [];
      if (filter.channel && state.channel !== filter.channel) return [];
      // a topic word is searched: titles are "<topic> inbox-<n>", and no topic is like another
      if (filter.search && !complaint.title.split(' ').includes(filter.search)) return [];
      const received = Date.parse(state.receivedAt);
      if (received < from || received >= to) return [];
      return [{ complaintId: complaint.complaintId, relation, receivedAt: state.receivedAt, status: state.status, version: complaint.version }];
    })
    .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt) || (a.complaintId < b.complaintId ? 1 : -1));
}

const Filter = fc.record(
  {
    status: fc.constantFrom('BELUM_TERVERIFIKASI', 'BELUM_DITINDAKLANJUTI', 'PROSES', 'ARSIP'),
    kind: fc.constantFrom('pengaduan', 'aspirasi', 'permintaan_informasi'),
    channel: fc.constantFrom('web', 'mobile_app'),
    from: fc.integer({ min: 0, max: 40 }).map((minute) => new Date(Date.parse('2024-03-01T01:00:00Z') + minute * 60_000).toISOString()),
    to: fc.integer({ min: 0, max: 45 }).map((minute) => new Date(Date.parse('2024-03-01T01:00:00Z') + minute * 60_000).toISOString()),
    search: fc.constantFrom(...TOPICS),
  },
  { requiredKeys: [] },
);

/**
 * A wide search's windows of receipt time: as served, and small enough that a search crosses many.
 * A minute at a time with no growth puts every boundary on a whole minute, where receipts tie.
 */
const Windows = fc.constantFrom<WideSearchWindows>(
  WIDE_SEARCH_WINDOWS,
  { firstMs: 60_000, growth: 1 },
  { firstMs: 90_000, growth: 2 },
  { firstMs: 1, growth: 8 },
);

describe('the inbox read model against a direct fold of the log (PostgreSQL)', () => {
  let database: TestDatabase;
  let stores: Stores;
  let histories: ComplaintEvent[][];
  let folded: FoldedComplaint[];
  let following: Subscription;
  const errors: unknown[] = [];
  let applied = 0;
  // what a committed page had applied: handle runs inside the page's transaction, before its commit
  let committed = 0;
  let appended = 0;

  const append = async (stories: ComplaintEvent[][]): Promise<number> => {
    for (const events of stories) {
      const complaintId = (events[0]!.data as { complaintId: string }).complaintId;
      await stores.store.appendToStream(
        `complaint-${complaintId}`,
        events.map((event) => ({ id: randomUUID(), type: event.type, data: event.data, metadata: { schemaVersion: event.schemaVersion } })),
      );
      appended += events.length;
    }
    return appended;
  };
  const appliedUpTo = async (count: number): Promise<void> => {
    const deadline = Date.now() + 60_000;
    while (committed < count && errors.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    if (errors.length > 0) throw errors[0];
    expect(committed).toBe(count);
  };

  beforeAll(async () => {
    database = await createTestDatabase('inbox_oracle');
    stores = await openServerStores({ connectionString: database.url, masterKey: masterKey(randomBytes(32)) });
    await prepareAppliedPositions(stores.db);
    await prepareInboxTables(stores.db);
    histories = randomHistories(150, 20_240_301);
    const total = await append(histories);
    const projection = createInboxProjection({ tree: () => tree });
    following = followEventLog(
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
    await appliedUpTo(total);
    folded = [...(await foldLog(stores.store)).values()];
    expect(folded).toHaveLength(histories.length);
  });
  afterAll(async () => {
    await following.close();
    await stores.close();
    await database.drop();
  });

  /** The lexicon a direct fold of the log gives: each distinct word of the titles (cut as the lexicon cuts them), and how many titles have it. */
  const expectLexiconOfTitles = async (complaints: readonly FoldedComplaint[]): Promise<void> => {
    const expected = await stores.db.query(
      `SELECT word, count(*)::integer AS complaints FROM unnest($1::text[]) AS title, unnest(tsvector_to_array(to_tsvector('simple', title))) AS word
       GROUP BY word ORDER BY word`,
      [complaints.map((complaint) => complaint.title)],
    );
    expect(expected.length).toBeGreaterThan(TOPICS.length);
    expect(await stores.db.query(`SELECT word, complaints FROM inbox.title_words ORDER BY word`)).toEqual(expected);
  };

  it('given the histories, then the lexicon of title words is the distinct words of the titles in the log, each counted once per title', async () => {
    await expectLexiconOfTitles(folded);
  });

  it('given a title word typed with a typo, when every node searches for it, then it finds what the word itself finds, either way of meeting the scope', async () => {
    const typos: Record<string, string> = { jalan: 'jalam', sekolah: 'sekolha', puskesmas: 'puskesmsa', sampah: 'sampa', listrik: 'listrk' };
    for (const [word, typed] of Object.entries(typos))
      for (const scope of ['narrow', 'wide', 'everything'] as const)
        for (const node of NODES) {
          const expected = expectedInbox(folded, node.id, { search: word }).map((item) => item.complaintId);
          const page = await queryInboxPage(stores.db, node.id, { search: typed }, null, 1_000, scope);
          expect(page.items.map((item) => item.complaintId)).toEqual(expected);
          expect(await countInbox(stores.db, node.id, { search: typed }, undefined, scope)).toEqual({ total: expected.length, exact: true });
        }
  });

  it('given the histories, then they are not trivial: every reason appears, in more than one instansi', () => {
    const reasons = new Set(NODES.flatMap((node) => folded.map((complaint) => relationOf(complaint, node.id))));
    expect(reasons).toEqual(new Set(['holder', 'tembusan', 'below', null]));
    expect(new Set(folded.map((complaint) => complaint.state.instansiId)).size).toBeGreaterThan(1);
    expect(new Set(folded.map((complaint) => complaint.state.status)).size).toBeGreaterThan(2);
  });

  it('given random filters and page sizes, when every node pages through its inbox, then it is the fold: each complaint once, in order, with its reason and total', async () => {
    await fc.assert(
      // either way of meeting a search with the node's scope gives the same list, and so does any way
      // of cutting a wide search into windows of receipt time
      fc.asyncProperty(
        Filter,
        fc.integer({ min: 1, max: 9 }),
        fc.constantFrom<SearchScope>('narrow', 'wide', 'everything'),
        Windows,
        async (filter, pageSize, scope, windows) => {
          for (const node of NODES) {
            const expected = expectedInbox(folded, node.id, filter);
            const served: Array<{ complaintId: string; relation: string; receivedAt: string; status: string; version: bigint }> = [];
            let cursor: string | null = null;
            do {
              const page: Awaited<ReturnType<typeof queryInboxPage>> = await queryInboxPage(
                stores.db,
                node.id,
                filter,
                cursor === null ? null : decodeCursor(cursor),
                pageSize,
                scope,
                windows,
              );
              expect(page.items.length).toBeLessThanOrEqual(pageSize);
              served.push(
                ...page.items.map(({ complaintId, relation, receivedAt, status, version }) => ({ complaintId, relation, receivedAt, status, version })),
              );
              cursor = page.nextCursor;
            } while (cursor !== null && served.length <= expected.length);
            expect(served).toEqual(expected);
            expect(await countInbox(stores.db, node.id, filter, undefined, scope)).toEqual({ total: expected.length, exact: true });
            // under equality filters the total is kept as counts, exact past any bound; with a
            // period or a search counting stops past its bound, and says so
            const counted = filter.search === undefined && filter.from === undefined && filter.to === undefined;
            expect(await countInbox(stores.db, node.id, filter, 5, scope)).toEqual(
              counted ? { total: expected.length, exact: true } : { total: Math.min(expected.length, 5), exact: expected.length <= 5 },
            );
          }
        },
      ),
      { numRuns: 60, seed: 11 },
    );
  });

  it('given complaints arriving between pages, when every node pages on with its cursor, then the pages still to come are the fold as it was when paging began', async () => {
    const first = folded.length;
    let batch = 0;
    for (const node of NODES) {
      // the log as it stands when this node starts paging (earlier nodes' arrivals included)
      const expected = expectedInbox([...(await foldLog(stores.store)).values()], node.id, {});
      const served: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof queryInboxPage>> = await queryInboxPage(stores.db, node.id, {}, cursor === null ? null : decodeCursor(cursor), 7);
        served.push(...page.items.map((item) => item.complaintId));
        cursor = page.nextCursor;
        // newer complaints than any before (a day later each time), some of them this node's, applied before the next page is read
        await appliedUpTo(await append(randomHistories(3, 7_000 + batch, { firstIndex: 10_000 + batch * 3, days: 1 + batch })));
        batch++;
      } while (cursor !== null && served.length <= expected.length);
      expect(served).toEqual(expected.map((item) => item.complaintId));
    }
    // and the arrivals are there for whoever starts again from the top
    const now = [...(await foldLog(stores.store)).values()];
    expect(now.length).toBe(first + batch * 3);
    // the arrivals' title words are counted too
    await expectLexiconOfTitles(now);
    const [top] = (await queryInboxPage(stores.db, 'nasional', {}, null, 1)).items;
    expect(top!.complaintId).toBe(expectedInbox(now, 'nasional', {})[0]!.complaintId);
  });
});
