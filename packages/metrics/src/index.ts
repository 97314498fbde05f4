// @lapor/metrics: what a process tells Prometheus, from one registry per process, under the names
// in names.ts (the dashboard and the alert rules read the same list).
export { METRIC, type MetricName } from './names';
export { counter, exposition, histogram, sampledGauge, startProcessMetrics, type Sample, type SampledGauge, type SampleSource } from './registry';
export { COUNTED_UP_TO, OVERDUE_AFTER_SECONDS, reportOutbox, reportTimers, type Queryable } from './table-samples';
