import type { EventStore } from '@lapor/event-store';
import { ComplaintRepository } from '@lapor/workflow';
import { admin, schedulerWorld, wita, type Driver, type SchedulerWorld } from './support';

// A claimed batch of due timers is decided in memory and appended in one commit. What must hold
// around that commit, on both databases the scheduler runs on: a complaint that moves under its
// timer fails alone and is decided again, and a sweeper that dies anywhere in the batch loses no
// timer and writes no event twice.

/** The store, with something done just before each batch append (`before`) or just after it (`after`). */
function storeWith(store: EventStore, hooks: { before?: () => Promise<void>; after?: () => Promise<void> }): EventStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'appendToStreams') {
        return async (...args: Parameters<EventStore['appendToStreams']>) => {
          await hooks.before?.();
          const outcomes = await target.appendToStreams(...args);
          await hooks.after?.();
          return outcomes;
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

class ProcessDied extends Error {}

describe.each<Driver>(['postgres', 'pglite'])('firing a batch of due timers (%s)', (driver) => {
  let world: SchedulerWorld;
  beforeEach(async () => {
    world = await schedulerWorld(`batch-${expect.getState().currentTestName?.slice(0, 12) ?? 'test'}`, driver);
  });
  afterEach(async () => {
    await world.close();
  });

  const at = (iso: string): void => {
    world.clock.now = new Date(iso);
  };
  /** Eight complaints received Monday 3 March 09:00, planned: their verification is due by the end of Thursday. */
  const eightPlanned = async (name: string): Promise<string[]> => {
    at(wita('2025-03-03', 9));
    const complaints: string[] = [];
    for (let index = 0; index < 8; index++) complaints.push(await world.submit(`${name}-${index}`));
    await world.planned();
    return complaints;
  };
  const breaches = async (complaintId: string) => (await world.events(complaintId)).filter((type) => type === 'SlaBreachRecorded');
  /** Each complaint's breach events, with the transaction that wrote them. */
  const breachCommits = (complaints: readonly string[]) =>
    world.db.query<{ stream_id: string; transaction_id: string }>(
      `SELECT stream_id, transaction_id::text AS transaction_id FROM eventstore.events WHERE event_type = 'SlaBreachRecorded' AND stream_id = ANY($1::text[])`,
      [complaints.map((id) => `complaint-${id}`)],
    );

  it('given eight complaints past their verification deadline, when a sweeper fires them, then each breach is recorded once, all in one commit', async () => {
    const complaints = await eightPlanned('satu');
    at(wita('2025-03-10', 9));

    expect(await world.sweeper().sweep()).toEqual({ fired: 8, stale: 0, refused: 0, failed: 0, waiting: 0 });

    for (const complaintId of complaints) expect(await breaches(complaintId)).toHaveLength(1);
    const commits = await breachCommits(complaints);
    expect(commits).toHaveLength(8);
    expect(new Set(commits.map((row) => row.transaction_id)).size).toBe(1);
  });

  it('given more timers due than a batch holds, when a sweep fires its batches (two at once on PostgreSQL), then each timer fires once', async () => {
    const complaints = await eightPlanned('banyak');
    at(wita('2025-03-10', 9));

    expect(await world.sweeper({ batchSize: 3 }).sweep()).toEqual({ fired: 8, stale: 0, refused: 0, failed: 0, waiting: 0 });

    for (const complaintId of complaints) expect(await breaches(complaintId)).toHaveLength(1);
    const [{ pending } = { pending: -1 }] = await world.db.query<{ pending: number }>(
      `SELECT count(*)::int AS pending FROM scheduler.timers WHERE status = 'pending' AND due_at <= $1`,
      [world.clock.now.toISOString()],
    );
    expect(pending).toBe(0);
  });

  it('given a complaint verified by a person just as its batch is appended, then its timer alone is decided again and fires once, and the others fire together', async () => {
    const complaints = await eightPlanned('berubah');
    at(wita('2025-03-10', 9));
    const moved = complaints[3]!;
    let interfered = false;
    const store = storeWith(world.store, {
      before: async () => {
        if (interfered) return;
        interfered = true;
        await world.act(
          {
            type: 'VerifyComplaint',
            data: { complaintId: moved, slaClass: 'tanpa_pengawasan', category: 'UMUM', anonymous: false, confidential: false, note: null },
          },
          admin,
        );
      },
    });

    const result = await world.sweeper({ repository: new ComplaintRepository(store) }).sweep();

    expect(result).toEqual({ fired: 8, stale: 0, refused: 0, failed: 0, waiting: 0 });
    for (const complaintId of complaints) expect(await breaches(complaintId)).toHaveLength(1);
    expect(await world.events(moved)).toEqual(['ComplaintSubmitted', 'ComplaintVerified', 'SlaBreachRecorded']);
    const commits = await breachCommits(complaints);
    const others = commits.filter((row) => row.stream_id !== `complaint-${moved}`);
    expect(new Set(others.map((row) => row.transaction_id)).size).toBe(1);
    expect(commits.find((row) => row.stream_id === `complaint-${moved}`)!.transaction_id).not.toBe(others[0]!.transaction_id);
    await world.planned();
    expect((await world.timers(moved)).filter((timer) => timer.kind === 'breach' && timer.status === 'pending')).toEqual([]);
  });

  it('given a sweeper that dies after claiming a batch and before appending it, then a sweeper started later fires every timer of it, once', async () => {
    const complaints = await eightPlanned('mati');
    await world.pausePlanner();
    at(wita('2025-03-10', 9));
    const dying = world.sweeper({
      repository: new ComplaintRepository(
        storeWith(world.store, {
          before: () => Promise.reject(new ProcessDied('the process died')),
        }),
      ),
    });
    await expect(dying.sweep()).rejects.toThrow(ProcessDied);
    for (const complaintId of complaints) expect(await breaches(complaintId)).toEqual([]);
    expect((await world.db.query(`SELECT 1 FROM scheduler.timers WHERE status = 'pending' AND kind = 'breach'`)).length).toBeGreaterThanOrEqual(8);

    at(wita('2025-03-10', 10)); // restarted an hour later
    expect((await world.sweeper().sweep()).fired).toBe(8);
    for (const complaintId of complaints) expect(await breaches(complaintId)).toHaveLength(1);
    world.resumePlanner();
  });

  it('given a sweeper that dies after its batch was appended and before it was marked, then the batch fired again adds no event, and the timers end fired', async () => {
    const complaints = await eightPlanned('ulang');
    await world.pausePlanner(); // it would see the breaches and settle the timers itself
    at(wita('2025-03-10', 9));
    const dying = world.sweeper({
      repository: new ComplaintRepository(
        storeWith(world.store, {
          after: () => Promise.reject(new ProcessDied('the process died')),
        }),
      ),
    });
    await expect(dying.sweep()).rejects.toThrow(ProcessDied);
    for (const complaintId of complaints) expect(await breaches(complaintId)).toHaveLength(1);

    at(wita('2025-03-10', 10));
    const again = await world.sweeper().sweep();

    expect(again).toEqual({ fired: 8, stale: 0, refused: 0, failed: 0, waiting: 0 });
    for (const complaintId of complaints) expect(await breaches(complaintId)).toHaveLength(1);
    expect((await world.sweeper().sweep()).fired).toBe(0);
    world.resumePlanner();
    await world.planned();
    for (const complaintId of complaints) {
      expect((await world.timers(complaintId)).filter((timer) => timer.kind === 'breach').map((timer) => timer.status)).toEqual(['fired']);
    }
  });
});

describe('firing two batches at once (postgres)', () => {
  let world: SchedulerWorld;
  beforeEach(async () => {
    world = await schedulerWorld('batch-two-at-once', 'postgres');
  });
  afterEach(async () => {
    await world.close();
  });

  it('given one of two batches dying after its append while the other is still appending, then the sweep fails only once the other has appended too', async () => {
    world.clock.now = new Date(wita('2025-03-03', 9));
    const complaints: string[] = [];
    for (let index = 0; index < 8; index++) complaints.push(await world.submit(`dua-${index}`));
    await world.planned();
    await world.pausePlanner();
    world.clock.now = new Date(wita('2025-03-10', 9));
    let appendsBegun = 0;
    let appendsEnded = 0;
    let secondBegun!: () => void;
    const secondBegan = new Promise<void>((resolve) => (secondBegun = resolve));
    const dying = world.sweeper({
      batchSize: 4,
      repository: new ComplaintRepository(
        storeWith(world.store, {
          // the second append is slow; the first dies just after it, once the second is on its way
          before: async () => {
            if (appendsBegun++ !== 1) return;
            secondBegun();
            await new Promise((resolve) => setTimeout(resolve, 300));
          },
          after: async () => {
            if (appendsEnded++ !== 0) return;
            await secondBegan;
            throw new ProcessDied('the process died');
          },
        }),
      ),
    });

    await expect(dying.sweep()).rejects.toThrow(ProcessDied);

    for (const complaintId of complaints) expect(await breaches(world, complaintId)).toHaveLength(1);
    world.resumePlanner();
  });
});

const breaches = async (world: SchedulerWorld, complaintId: string) => (await world.events(complaintId)).filter((type) => type === 'SlaBreachRecorded');
