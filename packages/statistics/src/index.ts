export { complaintAsOf, rowNodeOf, unitRecap, type RecapQuery, type UnitRecap, type UnitRecapRow } from './unit-recap';
