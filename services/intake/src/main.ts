// The intake service alone, on a PostgreSQL server: DATABASE_URL, LAPOR_JWT_SECRET, PORT (default 3001).
import { runServiceAlone } from '@lapor/http-kit';
import { intakeRoutes } from './plugin';

runServiceAlone({
  name: 'intake',
  defaultPort: 3001,
  tags: [{ name: 'intake', description: 'Complaints in, public tracking, the reporter’s own actions' }],
  plugin: intakeRoutes,
}).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
