// The intake service alone, on a PostgreSQL server: DATABASE_URL, LAPOR_JWT_SECRET, PORT (default 3001).
// The integrating systems' list (GET /integrations/complaints) is a read model that follows the event
// log in the shared database, in this process.
import { runServiceAlone } from '@lapor/http-kit';
import { openSystemList, type OpenedSystemList } from './integrations/system-list/open';
import { intakeRoutes } from './plugin';

runServiceAlone<OpenedSystemList>({
  name: 'intake',
  defaultPort: 3001,
  tags: [{ name: 'intake', description: 'Complaints in, public tracking, the reporter’s own actions' }],
  open: ({ context, db, log }) => openSystemList(context, db, { log }),
  plugin: (app, { context, opened }) => intakeRoutes(app, { context, systemList: opened }),
  // /health/ready: 503 while the systems' list trails the log by more than its bound
  start: async ({ opened }) => ({ checks: () => opened.lastReadiness(), close: async () => undefined }),
}).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
