export { plannedTimers, planTimers, timerOn, type PlannedTimer, type PlanningRules, type TimerKind, type TimerPlan, type WaitingTimer } from './timers';
export { commandFor, SCHEDULER_ACTOR, timerCommandId, workingDaysLate } from './fire';
