// The verification service alone, on a PostgreSQL server: DATABASE_URL, LAPOR_JWT_SECRET, PORT (default 3002).
import { runServiceAlone } from '@lapor/http-kit';
import { verificationRoutes } from './plugin';

runServiceAlone({
  name: 'verification',
  defaultPort: 3002,
  tags: [{ name: 'verification', description: 'Verifikasi, Tunda, Arsipkan, answering aspirations' }],
  plugin: verificationRoutes,
}).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
