// The follow-up service alone, on a PostgreSQL server: DATABASE_URL, LAPOR_JWT_SECRET, PORT (default 3004).
// Its inbox read model follows the event log in the shared database.
import { runServiceAlone } from '@lapor/http-kit';
import { openInbox, type OpenedInbox } from './inbox/open';
import { followUpRoutes } from './plugin';

runServiceAlone<OpenedInbox>({
  name: 'follow-up',
  defaultPort: 3004,
  tags: [{ name: 'follow-up', description: 'Tindak lanjut, the staff inbox, a complaint’s history' }],
  open: ({ context, db, log }) => openInbox(context, db, { log }),
  plugin: (app, { context, opened }) => followUpRoutes(app, { context, inbox: opened }),
  // /health/ready: 503 while the inbox trails the log by more than its bound
  start: async ({ opened }) => ({ checks: () => opened.lastReadiness(), close: async () => undefined }),
}).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
