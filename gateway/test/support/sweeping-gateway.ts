import type { ServiceApp, Stores } from '@lapor/http-kit';
import { buildGateway } from '../../src/app';
import { demoAccounts } from '../../src/seed/demo-accounts';
import { DEMO_ORGANISATION } from '../../src/seed/demo-organisation';
import { httpClient, type HttpClient } from './http';
import { embeddedStores } from './stores';

export interface SweepingGateway {
  readonly http: HttpClient;
  /** Where it listens, for requests the JSON client does not make (multipart uploads). */
  readonly baseUrl: string;
  readonly gateway: ServiceApp;
  close(): Promise<void>;
}

/**
 * The embedded gateway as `pnpm start` runs it, the SLA timers firing, on PGlite (one connection,
 * which the sweeper is told) and on a clock the test moves: the demo organisation and accounts.
 */
export async function sweepingGateway(now: () => string, password: string): Promise<SweepingGateway> {
  const stores: Stores = await embeddedStores();
  const gateway = await buildGateway({
    ...stores,
    now,
    runScheduler: true,
    singleConnection: true,
    jwtSecret: 'sweeping-gateway-secret-sweeping-gateway',
    seedOrganisation: DEMO_ORGANISATION,
    seedAccounts: demoAccounts(password),
  });
  const baseUrl = await gateway.app.listen({ port: 0, host: '127.0.0.1' });
  const http = httpClient(baseUrl);
  return {
    http,
    baseUrl,
    gateway,
    async close() {
      await gateway.app.close();
      await stores.close();
    },
  };
}
