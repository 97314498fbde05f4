// The follow-up service alone, on a PostgreSQL server: DATABASE_URL, LAPOR_JWT_SECRET, PORT (default 3004).
import { runServiceAlone } from '@lapor/http-kit';
import { followUpRoutes } from './plugin';

runServiceAlone({
  name: 'follow-up',
  defaultPort: 3004,
  tags: [{ name: 'follow-up', description: 'Tindak lanjut, the staff inbox, a complaint’s history' }],
  plugin: followUpRoutes,
}).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
