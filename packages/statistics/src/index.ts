export { complaintAsOf, recapRow, rowNodeOf, STATUS_COLUMN, unitRecap, type RecapQuery, type StatusColumn, type Tally, type UnitRecap, type UnitRecapRow } from './unit-recap';
export { prepareStatisticsTables, queryUnitRecap, statisticsProjection } from './projection';
