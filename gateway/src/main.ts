import { configProblemLine, openEmbeddedStores, openServerStores, printConfigIfAsked, REDACTED_PATHS, warnAboutServerSettings } from '@lapor/http-kit';
import { KEY_DIR_VARIABLE, MASTER_KEY_VARIABLE, masterKeyFromEnv, masterKeyFromFolder } from '@lapor/personal-data';
import closeWithGrace from 'close-with-grace';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { smsConfigFromEnv } from '@lapor/sms';
import { orphanSweepFromEnv } from '@lapor/attachments-service';
import { startTracing, traceFields } from '@lapor/tracing';
import { buildGateway } from './app';
import { EMBEDDED_DATABASE_FOLDER, loadConfig, tokenSecret, type GatewayConfig } from './config';
import { STAFF_ACCOUNTS_STREAM } from '@lapor/accounts';
import { firstStartSeed, NO_ADMINISTRATOR, registerFirstOrganisation } from './seed/first-start';
import { registerDemoCategories } from './seed/demo-categories';
import { CategoryCatalog } from '@lapor/workflow';

// The embedded default: every service in this process, the event store in PGlite under LAPOR_DATA_DIR
// (or on the PostgreSQL server named by DATABASE_URL).
async function main(): Promise<void> {
  const config = configOrExit();
  // before the app is built: its request hooks are added only when tracing is on
  const tracing = startTracing(config.tracing.serviceName, config.tracing.endpoint);
  await mkdir(config.dataDir, { recursive: true });
  // Production sets LAPOR_MASTER_KEY; the embedded default keeps a key file beside its data.
  const master = process.env[MASTER_KEY_VARIABLE]
    ? { key: masterKeyFromEnv(), created: false, message: `master key from ${MASTER_KEY_VARIABLE}` }
    : await masterKeyFromFolder(config.dataDir);
  // the epoch keys that make erasures final: beside the master key file, outside the database folder
  const keyDir = process.env[KEY_DIR_VARIABLE] || join(config.dataDir, 'keys');
  // DATABASE_URL runs every service in this process on a PostgreSQL server instead of the embedded one.
  const stores = config.databaseUrl
    ? await openServerStores({ connectionString: config.databaseUrl, keyDir, masterKey: master.key })
    : await openEmbeddedStores({ dataDir: join(config.dataDir, EMBEDDED_DATABASE_FOLDER), keyDir, masterKey: master.key });
  // an empty store gets only what was asked for: the demo (LAPOR_DEMO) and/or the operator's first administrator
  const seed = firstStartSeed(config);
  const hasAccounts = (await stores.store.readStream(STAFF_ACCOUNTS_STREAM, { maxCount: 1 })).length > 0;
  if (!hasAccounts && seed.accounts.length === 0) {
    await stores.close();
    console.error(`LAPOR! did not start: ${NO_ADMINISTRATOR}`);
    process.exit(2);
  }
  const { app, context, seeded } = await buildGateway({
    store: stores.store,
    vault: stores.vault,
    db: stores.db,
    jwtSecret: await tokenSecret(config),
    ...(config.tokenLifetimeSeconds ? { tokenLifetimeSeconds: config.tokenLifetimeSeconds } : {}),
    idempotencyKeptForMs: config.idempotencyKeptForMs,
    seedOrganisation: seed.organisation,
    seedAccounts: seed.accounts,
    serviceUrls: config.serviceUrls,
    trustProxy: config.trustProxy,
    forwarding: config.forwarding,
    maxInFlight: config.maxInFlight,
    maxEventLoopDelayMs: config.maxEventLoopDelayMs,
    // the real system fires its SLA timers (where the scheduler is mounted here, not forwarded);
    // embedded PGlite has one connection, which its sweeper must not hold while a timer appends
    runScheduler: true,
    runWebhooks: true,
    orphanSweep: { ...orphanSweepFromEnv(), onError: (error) => console.error('orphan sweep failed; tried again at the next round', error) },
    webhookReceivers: config.webhookReceivers,
    sms: smsConfigFromEnv(process.env, { masterKey: master.key.key }),
    singleConnection: !config.databaseUrl,
    logger: {
      level: config.logLevel,
      redact: REDACTED_PATHS,
      mixin: traceFields,
    },
  });
  // the demo's NTT is a provincial government (pemprov); before the port opens, so no request sees half of it
  const demoRegistered = await registerFirstOrganisation(context.directory, seed.demoOrganisation, () => 'pemprov', context.now());
  // and its national category taxonomy (only on a store that has none: a restart changes nothing)
  const demoCategories = seed.demoOrganisation.length > 0 && (await registerDemoCategories(new CategoryCatalog(stores.store), context.now()));
  closeWithGrace({ delay: 10_000 }, async ({ err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    await app.close();
    await stores.close();
    await tracing.shutdown();
  });
  await app.listen({ port: config.port, host: config.host });
  if (master.created) app.log.warn(master.message);
  if (config.databaseUrl) await warnAboutServerSettings(stores.db, app.log);
  if (demoRegistered) app.log.info('seeded the demo organisation (Admin Nasional; Pemerintah Provinsi NTT, WITA, with its units) and demo accounts');
  if (demoCategories) app.log.info('seeded the demo category taxonomy (national kategori and sub-kategori)');
  if (seeded && config.firstAdmin) app.log.info({ username: config.firstAdmin.username }, 'created the first administrator (admin_nasional)');
  if (!seeded && hasAccounts && config.firstAdmin)
    app.log.warn('LAPOR_FIRST_ADMIN_PASSWORD is set but this store has staff accounts already: ignored; remove it from the environment');
  if (config.serviceUrls) {
    const statistics = config.serviceUrls.statistics;
    if (statistics) app.log.info({ statistics }, `distributed: statistics forwarded to ${statistics}`);
    else app.log.warn('distributed: LAPOR_SERVICE_URLS has no statistics=…, so this gateway serves statistics itself, its projection following the event log');
    const scheduler = config.serviceUrls.scheduler;
    if (scheduler)
      app.log.info({ scheduler }, `distributed: the SLA timers are planned and fired by the scheduler service at ${scheduler}; its routes are forwarded there`);
    else app.log.warn('distributed: LAPOR_SERVICE_URLS has no scheduler=…, so this gateway plans the SLA timers from the event log and fires them itself');
  }
  const base = `http://${config.host === '127.0.0.1' || config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  const signIn = config.demo
    ? ['Demo accounts: admin-nasional, admin-ntt, penghubung-pupr, penghubung-dikbud.', 'admin-ntt', '<LAPOR_DEMO_PASSWORD, default lapor-demo-2026>']
    : ['', config.firstAdmin?.username ?? '<your administrator>', '<its password>'];
  console.log(
    [
      '',
      `LAPOR! is up on ${base} (listening on ${config.host}): Swagger UI at ${base}/docs, the API document at ${base}/openapi.json`,
      `Data: ${config.databaseUrl ? 'the PostgreSQL server in DATABASE_URL' : `${config.dataDir} (embedded PostgreSQL)`}. ${signIn[0]}`,
      'A staff token:',
      `  curl -s -X POST ${base}/auth/token -H 'content-type: application/json' \\`,
      `       -d '{"username":"${signIn[1]}","password":"${signIn[2]}"}'`,
      '',
    ].join('\n'),
  );
}

/** The configuration, or one line naming what is wrong (exit 2); --print-config shows it masked (exit 0). */
function configOrExit(): GatewayConfig {
  let config: GatewayConfig;
  try {
    config = loadConfig();
    // a production key that does not parse stops here, before anything is opened
    if (process.env[MASTER_KEY_VARIABLE]) masterKeyFromEnv();
  } catch (error) {
    console.error(configProblemLine('gateway', (error as Error).message.replace(/^invalid configuration: /, '')));
    process.exit(2);
  }
  printConfigIfAsked('gateway', {
    ...config,
    forwarding: config.forwarding,
    [MASTER_KEY_VARIABLE]: process.env[MASTER_KEY_VARIABLE] ? 'set' : `none: a key file in ${config.dataDir}`,
  });
  return config;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
