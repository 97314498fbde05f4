// The administration service alone, on a PostgreSQL server: DATABASE_URL, LAPOR_JWT_SECRET, PORT (default 3009).
import { runServiceAlone } from '@lapor/http-kit';
import { ADMINISTRATION_TAG } from './schemas';
import { openOrganisation, type OpenedOrganisation } from './organisation/open';
import { administrationRoutes } from './plugin';

runServiceAlone<OpenedOrganisation>({
  name: 'administration',
  defaultPort: 3009,
  tags: [ADMINISTRATION_TAG],
  // the holdings read side follows the store's log directly, as in the embedded gateway
  open: ({ context, db, log }) => openOrganisation(context, db, { log }),
  plugin: administrationRoutes,
}).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
