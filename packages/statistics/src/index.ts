export { complaintAsOf, rowNodeOf, unitRecap, type RecapQuery, type UnitRecap, type UnitRecapRow } from './unit-recap';
export { prepareRecapTables, queryUnitRecap, recapProjection } from './recap-projection';
