// The gateway for the attachments benchmark, in a process of its own so its memory is its own.
// `tsx server.ts <databaseUrl>` prints "ready <url>" when it listens.
import { buildGateway } from '@lapor/gateway';
import { openServerStores } from '@lapor/http-kit';
import { masterKey } from '@lapor/personal-data';
import { randomBytes } from 'node:crypto';

async function main(url: string): Promise<void> {
  const stores = await openServerStores({ connectionString: url, poolSize: 20, masterKey: masterKey(randomBytes(32)) });
  const { app } = await buildGateway({
    ...stores,
    jwtSecret: randomBytes(32).toString('hex'),
    publicRateLimit: 100_000,
    seedOrganisation: [
      { kind: 'nasional', id: 'nasional', name: 'Nasional', parentId: null },
      { kind: 'instansi', id: 'pemprov-ntt', name: 'Pemerintah Provinsi NTT', parentId: 'nasional', timeZone: 'Asia/Makassar' },
    ],
    seedAccounts: [{ username: 'admin-ntt', role: 'admin_instansi', nodeId: 'pemprov-ntt', password: randomBytes(12).toString('hex') }],
  });
  console.log(`ready ${await app.listen({ port: 0, host: '127.0.0.1' })}`);
}

main(process.argv[2]!).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
