export { schedulerRoutes, type SchedulerOptions } from './plugin';
export { openScheduler, type OpenedScheduler, type OpenSchedulerOptions } from './open';
export { createTimerPlanner, replanWaiting, type PlannerDependencies } from './planner';
export { TimerSweeper, type SweeperOptions, type SweepResult } from './sweeper';
export { PolicySource, POLICY_STREAM, type PolicyVersion } from './sources';
export { prepareSchedulerTables, SCHEDULER_SCHEMA } from './tables';
