import type { Calendar } from '@lapor/calendar';
import type { EventHandler } from '@lapor/consumer-kit';
import type { OrganisationTree } from '@lapor/domain';
import { applyStatisticsPage } from './apply-page';
import { PROJECTION_NAME, STATISTICS_SCHEMA } from './tables';

export interface ProjectionDependencies {
  /** The organisation tree as it is now (zones, which nodes are units). */
  readonly tree: () => OrganisationTree;
  /** The calendar as it is now: bundled years plus those recorded (`CalendarSource`). */
  readonly calendar: () => Calendar;
  /** Default: the live schema; a rebuild writes elsewhere. */
  readonly schema?: string;
}

/**
 * The statistics read side as a consumer-kit handler: the same code behind Kafka or the
 * in-process log. A page of events folds its complaints forward together, then every table the
 * new states change is written in the caller's transaction (which also records the events as
 * applied); one event is a page of one.
 */
export function createStatisticsProjection(deps: ProjectionDependencies): EventHandler {
  const schema = deps.schema ?? STATISTICS_SCHEMA;
  const applyPage: NonNullable<EventHandler['handlePage']> = (events, tx) => applyStatisticsPage(tx, schema, deps.tree(), deps.calendar(), events);
  return {
    name: PROJECTION_NAME,
    handle: (event, tx) => applyPage([event], tx),
    handlePage: applyPage,
  };
}
