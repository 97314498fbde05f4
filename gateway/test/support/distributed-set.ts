import type { Stores } from '@lapor/http-kit';
import { masterKey } from '@lapor/personal-data';
import { testKafkaBrokers } from '@lapor/testing';
import type { FastifyInstance } from 'fastify';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { buildGateway } from '../../src/app';
import { loadConfig } from '../../src/config';
import { demoAccounts } from '../../src/seed/demo-accounts';
import { DEMO_ORGANISATION } from '../../src/seed/demo-organisation';
import { httpClient, type HttpClient } from './http';
import { freePort, spawnService, stopAll, waitReady } from './processes';
import { serverStores } from './stores';

// The distributed deployment as the distributed specs start it: a fresh database on the test
// PostgreSQL server, the gateway in this process listening on a free port with the demo
// organisation and accounts, and each service in a process of its own (services/<name>/src/main.ts)
// sharing the database, the token secret and the master key. With `kafka`, a relay publishes the
// event log to a topic of this run's own, and every service reads it.

export interface DistributedSetOptions {
  /** Names the test database. */
  readonly label: string;
  /** The demo accounts' password. */
  readonly password: string;
  readonly jwtSecret: string;
  /** Started, each on a free port, and forwarded to by the gateway. */
  readonly spawned: readonly string[];
  /** Forwarded to by the gateway but never started: the spec never calls them. */
  readonly unstarted?: readonly string[];
  /** A relay and a topic; each service's consumer group (default: `${topic}.inbox`, shared). */
  readonly kafka?: { readonly topicPrefix: string; readonly consumerGroup?: (service: string, topic: string) => string };
  /** More environment for every spawned process (the relay too). */
  readonly env?: Readonly<Record<string, string>>;
  /** The gateway's own environment, read by its config as main.ts reads it (only what buildGateway takes from it is used). */
  readonly gatewayEnv?: Readonly<Record<string, string>>;
}

export interface DistributedSet {
  readonly stores: Stores & { readonly url: string };
  readonly gateway: FastifyInstance;
  /** The gateway's base URL. */
  readonly base: string;
  readonly http: HttpClient;
  /** Each service's base URL, started or not. */
  readonly serviceUrls: Readonly<Record<string, string>>;
  /** The relay's topic, with `kafka`. */
  readonly topic: string | undefined;
  /** Another service process on the set's database, token secret and master key (and topic), stopped with the set; `env` overrides. */
  spawn(name: string, env: Readonly<Record<string, string>>, options?: { quiet?: boolean }): ChildProcess;
  /** Stops the services, then the gateway, then drops the database. */
  close(): Promise<void>;
}

export async function startDistributedSet(options: DistributedSetOptions): Promise<DistributedSet> {
  const keyBytes = randomBytes(32);
  const children: ChildProcess[] = [];
  const stores = await serverStores(options.label, masterKey(keyBytes));
  let gateway: FastifyInstance | undefined;
  const close = async () => {
    await stopAll(children);
    await gateway?.close();
    await stores.close();
  };
  // one deadline for the whole start, inside jest's two-minute hook timeout, so a service that never
  // comes up is named by waitReady's error rather than by a bare timeout
  const readyBy = Date.now() + 100_000;
  try {
    const serviceUrls: Record<string, string> = {};
    for (const name of [...options.spawned, ...(options.unstarted ?? [])]) serviceUrls[name] = `http://127.0.0.1:${await freePort()}`;
    ({ app: gateway } = await buildGateway({
      ...stores,
      jwtSecret: options.jwtSecret,
      seedOrganisation: DEMO_ORGANISATION,
      seedAccounts: demoAccounts(options.password),
      serviceUrls,
      ...(options.gatewayEnv ? { webhookReceivers: loadConfig({ ...options.gatewayEnv }).webhookReceivers } : {}),
    }));
    const base = await gateway.listen({ port: 0, host: '127.0.0.1' });

    let feed: Record<string, string> = {};
    let topic: string | undefined;
    if (options.kafka) {
      const brokers = (await testKafkaBrokers()).join(',');
      topic = `${options.kafka.topicPrefix}-${randomBytes(4).toString('hex')}`;
      feed = { KAFKA_BROKERS: brokers, LAPOR_TOPIC: topic };
      const relayPort = await freePort();
      children.push(spawnService('relay', { ...options.env, ...feed, DATABASE_URL: stores.url, PORT: String(relayPort) }));
      await waitReady([`http://127.0.0.1:${relayPort}`], readyBy - Date.now());
    }
    const spawn = (name: string, env: Readonly<Record<string, string>>, spawnOptions: { quiet?: boolean } = {}) => {
      const child = spawnService(
        name,
        {
          ...options.env,
          ...feed,
          DATABASE_URL: stores.url,
          LAPOR_JWT_SECRET: options.jwtSecret,
          LAPOR_MASTER_KEY: keyBytes.toString('base64'),
          LAPOR_TRUST_PROXY: '127.0.0.1',
          ...env,
        },
        spawnOptions,
      );
      children.push(child);
      return child;
    };
    const group = options.kafka?.consumerGroup ?? ((_service: string, named: string) => `${named}.inbox`);
    for (const name of options.spawned) {
      spawn(name, { ...(topic ? { LAPOR_CONSUMER_GROUP: group(name, topic) } : {}), PORT: new URL(serviceUrls[name]!).port });
    }
    await waitReady(
      options.spawned.map((name) => serviceUrls[name]!),
      readyBy - Date.now(),
    );
    return { stores, gateway, base, http: httpClient(base), serviceUrls, topic, spawn, close };
  } catch (error) {
    await close();
    throw error;
  }
}
