export { attachmentRoutes } from './plugin';
export { orphanSweepFromEnv, orphanSweepService, sweepOrphansOnce, type OrphanSweepOptions } from './orphans';
