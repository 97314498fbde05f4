import type { Calendar } from '@lapor/calendar';
import {
  rebuildReadModel,
  type EventEnvelope,
  type RebuildableReadModel,
  type RebuildOptions as ReadModelRebuildOptions,
  type RebuildResult,
  type ShadowTables,
  type ShadowWriter,
} from '@lapor/consumer-kit';
import { complaintDecider, readTrustedComplaintEvent, type Complaint, type ComplaintState, type OrganisationTree } from '@lapor/domain';
import {
  adminActionOf,
  breachOf,
  complaintFactsOf,
  hopFactsOf,
  recapFactsOf,
  sameRecapFacts,
  type AdminAction,
  type BreachFacts,
  type RecapFacts,
} from './facts';
import { monthOf, receivedOnOf } from './local-date';
import { bucketDelta, Sums, type BucketDelta } from './page-fold';
import { createStatisticsProjection } from './projection';
import {
  ADMIN_ACTION_COLUMNS,
  adminActionValues,
  BREACH_COLUMNS,
  breachValues,
  COMPLAINT_FACT_COLUMNS,
  complaintFactValues,
  HOP_FACT_COLUMNS,
  hopValues,
  RECAP_FACT_COLUMNS,
} from './projection-rows';
import { recapChangesFromFacts } from './recap-changes';
import { PROJECTION_NAME, PROJECTION_SHAPE, recapChangesKey, recapFactsKey, SHADOW_SCHEMA, STATISTICS_SCHEMA, statisticsDdl, statisticsKeys } from './tables';

// Rebuilding the statistics from the event log without downtime, by the read-model rebuild every
// read side shares (@lapor/consumer-kit): what is folded per complaint and how it becomes rows is
// the statistics' own; reading the log, the shadow schema, the bulk load and the swap are shared.

export type { RebuildProgress, RebuildResult } from '@lapor/consumer-kit';

export interface RebuildOptions extends ReadModelRebuildOptions {
  readonly tree: OrganisationTree;
  readonly calendar: Calendar;
}

interface Folded {
  state: ComplaintState;
  intervals: { from: string; facts: RecapFacts }[];
  actions: AdminAction[];
  breaches: BreachFacts[];
}

export async function rebuildStatistics(options: RebuildOptions): Promise<RebuildResult> {
  const { tree, calendar, ...rebuild } = options;
  return rebuildReadModel(statisticsReadModel(tree, calendar), rebuild);
}

function statisticsReadModel(tree: OrganisationTree, calendar: Calendar): RebuildableReadModel<Folded> {
  return {
    consumer: PROJECTION_NAME,
    schema: STATISTICS_SCHEMA,
    shadowSchema: SHADOW_SCHEMA,
    // recap_changes is summed by SQL from the loaded intervals (with the keys), not loaded
    liveTables: ['complaint_state', 'recap_facts', 'recap_changes'],
    tablesDdl: (schema) => statisticsDdl(schema, false),
    keys: (schema) => {
      // recap_changes is summed from the loaded intervals, then keyed (a key made first was kept up
      // row by row by the sum's insert): the longest step, so it starts first. The intervals' own
      // key goes before the sum: adding a key waits for every reader of its table, and the other
      // indexes of the table queue behind it; so they no longer wait for the sum, but are built while it reads.
      const inTurn = [recapFactsKey(schema), recapChangesFromFacts(schema), recapChangesKey(schema)];
      return [inTurn, ...statisticsKeys(schema).filter((statement) => !inTurn.includes(statement))];
    },
    fold: (entry, envelope) => foldInto(entry, envelope, tree, calendar),
    writer: (into) => shadowWriter(into, tree, calendar),
    handler: (schema) => createStatisticsProjection({ tree: () => tree, calendar: () => calendar, schema }),
  };
}

function foldInto(existing: Folded | undefined, envelope: EventEnvelope, tree: OrganisationTree, calendar: Calendar): Folded {
  const event = readTrustedComplaintEvent({ type: envelope.type, schemaVersion: envelope.schemaVersion, data: envelope.data });
  const entry = existing ?? { state: complaintDecider.initialState(), intervals: [], actions: [], breaches: [] };
  const after = complaintDecider.evolve(entry.state, event);
  entry.state = after;
  if (!after.submitted) return entry;
  const next = recapFactsOf(after);
  const last = entry.intervals.at(-1);
  if (!last || !sameRecapFacts(last.facts, next)) {
    // two changes at the same moment: the later one is the interval (as the live projection's upsert)
    if (last && last.from === event.data.at) last.facts = next;
    else entry.intervals.push({ from: event.data.at, facts: next });
  }
  const action = adminActionOf(event, after, tree, calendar);
  if (action) entry.actions.push(action);
  const breach = breachOf(event, after, tree);
  if (breach) entry.breaches.push(breach);
  return entry;
}

/** Each complaint's rows as it comes; the recap buckets, summed over all of them, at the end. */
function shadowWriter(into: ShadowTables, tree: OrganisationTree, calendar: Calendar): ShadowWriter<Folded> {
  const tables = {
    state: into.table('complaint_state', ['complaint_id', 'state']),
    intervals: into.table('recap_facts', RECAP_FACT_COLUMNS),
    facts: into.table('complaint_facts', COMPLAINT_FACT_COLUMNS),
    hops: into.table('hop_facts', HOP_FACT_COLUMNS),
    breaches: into.table('sla_breaches', BREACH_COLUMNS),
    actions: into.table('admin_actions', ADMIN_ACTION_COLUMNS),
  };
  // per day (and month) of receipt, unit and status: as many as those, however many complaints
  const daily = new Sums();
  const monthly = new Sums();
  const count = (delta: BucketDelta, receivedOn: string): void => {
    daily.add([receivedOn, delta[0], delta[1]], delta.slice(2) as number[]);
    monthly.add([monthOf(receivedOn), delta[0], delta[1]], delta.slice(2) as number[]);
  };

  return {
    async write(complaintId, entry) {
      await tables.state.add([complaintId, entry.state]);
      if (!entry.state.submitted) return;
      const complaint: Complaint = entry.state;
      const receivedOn = receivedOnOf(complaint, tree);
      for (const [index, interval] of entry.intervals.entries()) {
        const validTo = entry.intervals[index + 1]?.from ?? null;
        const f = interval.facts;
        await tables.intervals.add([complaintId, interval.from, validTo, f.rowNodeId, f.status, receivedOn, f.rtlMs, f.rating, f.rvMs]);
      }
      count(bucketDelta(recapFactsOf(complaint), 1), receivedOn);
      await tables.facts.add(complaintFactValues(complaintFactsOf(complaint, tree, calendar)));
      for (const hop of hopFactsOf(complaint, tree)) await tables.hops.add(hopValues(hop));
      for (const breach of entry.breaches) {
        await tables.breaches.add(breachValues(breach));
      }
      // the live table's key: one action of a kind per complaint and moment
      const seen = new Set<string>();
      for (const action of entry.actions) {
        const key = `${action.at}\u0000${action.action}`;
        if (seen.has(key)) continue;
        seen.add(key);
        await tables.actions.add(adminActionValues(action));
      }
    },
    async finish() {
      const bucketColumns = ['bucket', 'row_node_id', 'status', 'n', 'rtl_ms', 'rtl_n', 'rating_sum', 'rating_n', 'rv_ms', 'rv_n'];
      const dailyTable = into.table('recap_daily', bucketColumns);
      const monthlyTable = into.table('recap_monthly', bucketColumns);
      for (const row of daily.rows()) await dailyTable.add(row);
      for (const row of monthly.rows()) await monthlyTable.add(row);
      await into.table('shape', ['shape', 'counted_with']).add([PROJECTION_SHAPE, calendar.version]);
    },
  };
}
