// The administration service alone, on a PostgreSQL server: DATABASE_URL, LAPOR_JWT_SECRET, PORT (default 3009).
// It serves the organisation's and the staff accounts' administration, and the audit trail it follows from the event log.
import { runServiceAlone } from '@lapor/http-kit';
import { openAuditTrail } from './audit/open';
import { ACCOUNTS_TAG } from './accounts/schemas';
import { staffAdministrationRoutes } from './accounts/plugin';
import { ADMINISTRATION_TAG } from './schemas';
import { administrationRoutes } from './plugin';

runServiceAlone({
  name: 'administration',
  defaultPort: 3009,
  tags: [ADMINISTRATION_TAG, ACCOUNTS_TAG],
  open: ({ context, db, log }) => openAuditTrail(context.store, db, { log }),
  plugin: async (app, { context, opened }) => {
    await app.register(administrationRoutes, { context });
    await app.register(staffAdministrationRoutes, { context, audit: opened });
  },
  start: async ({ opened }) => ({ checks: () => opened.lastReadiness(), close: async () => undefined }),
}).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
