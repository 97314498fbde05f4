export { plannedTimers, type PlannedTimer, type PlanningRules, type TimerKind } from './timers';
export { commandFor, SCHEDULER_ACTOR, workingDaysLate } from './fire';
