import type { AdminAction, BreachFacts, ComplaintFacts, HopFacts } from './facts';

// The columns of the tables a complaint's facts are written to, and a row's values in their order:
// the live projection and the rebuild write the same rows.

export const COMPLAINT_FACT_COLUMNS = [
  'complaint_id',
  'door_id',
  'instansi_id',
  'row_node_id',
  'kind',
  'category',
  'status',
  'received_at',
  'received_on',
  'received_month',
  'reporter_ref',
  'disposed_working_days',
  'followed_up_working_days',
  'completed_working_days',
  'handling_ms',
  'hops',
  'returns',
  'breaches_verification',
  'breaches_first_follow_up',
  'breaches_completion',
] as const;

export const complaintFactValues = (facts: ComplaintFacts): unknown[] => [
  facts.complaintId,
  facts.doorId,
  facts.instansiId,
  facts.rowNodeId,
  facts.kind,
  facts.category,
  facts.status,
  facts.receivedAt,
  facts.receivedOn,
  facts.receivedMonth,
  facts.reporterRef,
  facts.disposedWorkingDays,
  facts.followedUpWorkingDays,
  facts.completedWorkingDays,
  facts.handlingMs,
  facts.hops,
  facts.returns,
  facts.breachesVerification,
  facts.breachesFirstFollowUp,
  facts.breachesCompletion,
];

export const RECAP_FACT_COLUMNS = ['complaint_id', 'valid_from', 'valid_to', 'row_node_id', 'status', 'received_on', 'rtl_ms', 'rating', 'rv_ms'] as const;

export const HOP_FACT_COLUMNS = ['complaint_id', 'seq', 'type', 'from_node_id', 'to_node_id', 'at', 'received_on', 'lost_ms'] as const;

export const hopValues = (hop: HopFacts): unknown[] => [hop.complaintId, hop.seq, hop.type, hop.fromNodeId, hop.toNodeId, hop.at, hop.receivedOn, hop.lostMs];

export const BREACH_COLUMNS = ['complaint_id', 'stage', 'clock_started_at', 'node_id', 'due_at', 'working_days_late', 'received_on'] as const;

export const breachValues = (breach: BreachFacts): unknown[] => [
  breach.complaintId,
  breach.stage,
  breach.clockStartedAt,
  breach.nodeId,
  breach.dueAt,
  breach.workingDaysLate,
  breach.receivedOn,
];

export const ADMIN_ACTION_COLUMNS = ['complaint_id', 'at', 'action', 'account_id', 'node_id', 'received_on', 'working_days', 'elapsed_ms'] as const;

export const adminActionValues = (action: AdminAction): unknown[] => [
  action.complaintId,
  action.at,
  action.action,
  action.accountId,
  action.nodeId,
  action.receivedOn,
  action.workingDays,
  action.elapsedMs,
];
