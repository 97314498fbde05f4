// The attachments service alone, on a PostgreSQL server: DATABASE_URL, LAPOR_JWT_SECRET, LAPOR_MASTER_KEY,
// LAPOR_KEY_DIR, PORT (default 3011); LAPOR_ATTACHMENT_GRACE_MS, LAPOR_ATTACHMENT_SWEEP_EVERY_MS (the orphan sweep).
import { runServiceAlone } from '@lapor/http-kit';
import { orphanSweepFromEnv, startOrphanSweep, type OrphanSweepOptions } from './orphans';
import { attachmentRoutes } from './plugin';

let sweepEvery: Omit<OrphanSweepOptions, 'onError'>;
try {
  sweepEvery = orphanSweepFromEnv();
} catch (error) {
  console.error(`attachments: ${(error as Error).message}`);
  process.exit(2);
}

runServiceAlone({
  name: 'attachments',
  defaultPort: 3011,
  tags: [{ name: 'attachments', description: 'Files attached to complaints: downloads for those who may see them' }],
  plugin: attachmentRoutes,
  async start({ context, log }) {
    const sweep = startOrphanSweep(context, {
      ...sweepEvery,
      onError: (error) => log.warn({ err: error }, 'orphan sweep failed; tried again at the next round'),
    });
    return { close: () => sweep.stop() };
  },
}).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
