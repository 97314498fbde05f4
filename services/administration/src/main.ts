// The administration service alone, on a PostgreSQL server: DATABASE_URL, LAPOR_JWT_SECRET, PORT (default 3009).
import { runServiceAlone } from '@lapor/http-kit';
import { ADMINISTRATION_TAG } from './schemas';
import { administrationRoutes } from './plugin';

runServiceAlone({
  name: 'administration',
  defaultPort: 3009,
  tags: [ADMINISTRATION_TAG],
  plugin: administrationRoutes,
}).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
