// The disposition service alone, on a PostgreSQL server: DATABASE_URL, LAPOR_JWT_SECRET, PORT (default 3003).
import { runServiceAlone } from '@lapor/http-kit';
import { dispositionRoutes } from './plugin';

runServiceAlone({
  name: 'disposition',
  defaultPort: 3003,
  tags: [{ name: 'disposition', description: 'Disposisi down the tree, Bukan Wewenang up it' }],
  plugin: dispositionRoutes,
}).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
