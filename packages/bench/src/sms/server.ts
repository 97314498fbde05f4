// A server for the SMS benchmark, in a process of its own so the load generator does not share its
// event loop. `tsx server.ts intake|sms|sms-webhook <databaseUrl> [outboundUrl]` prints "ready <url>"
// when it listens. Each is one service app on PostgreSQL: the plain intake route; the SMS channel as
// in production (its notifier following the event log, its dispatcher sending to the bench's fake
// provider); or the SMS webhook alone, its notifier and dispatcher left to another process.
import { buildServiceApp, openServerStores, runWithApp } from '@lapor/http-kit';
import { masterKey } from '@lapor/personal-data';
import { randomBytes } from 'node:crypto';
// by path: the bench may not take new dependencies (packages/bench/package.json)
import { intakeRoutes, openSystemList } from '../../../../services/intake/src';
import { openSms, smsRoutes, type SmsConfig } from '../../../../services/sms/src';
import { BENCH_NODES, BENCH_PROVIDER, BENCH_SECRET, JWT_SECRET } from './constants';

type Mode = 'intake' | 'sms' | 'sms-webhook';

async function serve(mode: Mode, url: string, outboundUrl: string | undefined): Promise<string> {
  const stores = await openServerStores({ connectionString: url, poolSize: 20, masterKey: masterKey(randomBytes(32)) });
  const { app, context } = await buildServiceApp({
    store: stores.store,
    vault: stores.vault,
    db: stores.db,
    jwtSecret: JWT_SECRET,
    title: `bench ${mode}`,
    tags: [],
    seedOrganisation: BENCH_NODES,
    // the citizens of the intake case all come from one address
    publicRateLimit: 1_000_000_000,
  });
  if (mode === 'intake') {
    // as intake runs alone: its systems' list follows the log in the same process
    const systemList = await openSystemList(context, stores.db, { log: app.log });
    runWithApp(app, systemList);
    await app.register(intakeRoutes, { context, systemList });
  } else {
    const config: SmsConfig = {
      providers: new Map([[BENCH_PROVIDER, [BENCH_SECRET]]]),
      keywords: new Map([['NTT', 'pemprov-ntt']]),
      reporterKey: randomBytes(32),
      outbound: outboundUrl ? { url: outboundUrl, timeoutMs: 10_000, from: '1708' } : null,
      maxParts: 5,
      retry: { firstMs: 1_000, maxMs: 60_000, giveUpAfterMs: 3_600_000 },
      dispatchEveryMs: 1_000,
      signatureToleranceMs: 5 * 60_000,
      leaseMs: 60_000,
    };
    const alone = mode === 'sms-webhook';
    const opened = await openSms(context, stores.db, { config, feed: alone ? 'external' : 'event-log', dispatch: !alone, now: () => new Date(), log: app.log });
    runWithApp(app, opened);
    await app.register(smsRoutes, { context, db: stores.db, config, opened });
  }
  return app.listen({ port: 0, host: '127.0.0.1' });
}

const [mode, url, outboundUrl] = process.argv.slice(2);
if (!url || !['intake', 'sms', 'sms-webhook'].includes(mode ?? '')) throw new Error('usage: server.ts intake|sms|sms-webhook <databaseUrl> [outboundUrl]');
serve(mode as Mode, url, outboundUrl).then(
  (address) => console.log(`ready ${address}`),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(0));
