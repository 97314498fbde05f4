export { plannedTimers, planTimers, type PlannedTimer, type PlanningRules, type TimerKind, type TimerPlan, type WaitingTimer } from './timers';
export { commandFor, SCHEDULER_ACTOR, workingDaysLate } from './fire';
