// The administration service alone, on a PostgreSQL server: DATABASE_URL, LAPOR_JWT_SECRET, PORT (default 3009).
// It serves the organisation's and the staff accounts' administration, with the two read sides it
// follows from the event log: who holds each open complaint (deactivation checks, successions after
// a merge) and the audit trail.
import { runServiceAlone } from '@lapor/http-kit';
import { openAuditTrail } from './audit/open';
import { ACCOUNTS_TAG } from './accounts/schemas';
import { staffAdministrationRoutes } from './accounts/plugin';
import { ADMINISTRATION_TAG } from './schemas';
import { openOrganisation } from './organisation/open';
import { administrationRoutes } from './plugin';

runServiceAlone({
  name: 'administration',
  defaultPort: 3009,
  tags: [ADMINISTRATION_TAG, ACCOUNTS_TAG],
  open: async ({ context, db, log }) => {
    const organisation = await openOrganisation(context, db, { log });
    const audit = await openAuditTrail(context.store, db, { log });
    return {
      organisation,
      audit,
      start() {
        organisation.start();
        audit.start();
      },
      async close() {
        await audit.close();
        await organisation.close();
      },
    };
  },
  plugin: async (app, { context, opened }) => {
    await app.register(administrationRoutes, { context, opened: opened.organisation });
    await app.register(staffAdministrationRoutes, { context, audit: opened.audit });
  },
  start: async ({ opened }) => ({ checks: () => opened.audit.lastReadiness(), close: async () => undefined }),
}).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
