// @lapor/domain: the complaint as a pure decider, its events and commands, SLA defaults,
// identifiers, and the organisation tree.

export * from './ids';
export * from './organisation/nodes';
export * from './organisation/validation';
export * from './organisation/tree';

export * from './complaint/values';
export * from './complaint/sla';
export * from './complaint/labels';
export * from './complaint/events';
export * from './complaint/public-data';
export * from './complaint/public-data-examples';
export * from './complaint/event-registry';
export * from './complaint/commands';
export * from './complaint/errors';
export * from './complaint/state';
export * from './complaint/clock-zone';
export { evolve } from './complaint/evolve';
export { decide } from './complaint/decide';
export { complaintDecider } from './complaint/decider';
export * from './organisation/commands';
export * from './organisation/events';
export * from './organisation/state';
export { decideOrganisation } from './organisation/decide';
export { organisationDecider } from './organisation/decider';
export * from './category/commands';
export * from './category/events';
export * from './category/state';
export { decideCategory, categoryDecider } from './category/decide';
