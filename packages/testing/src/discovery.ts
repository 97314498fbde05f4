import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { dockerEngineReachable } from './docker';
import { repoRoot } from './repo-root';

/**
 * Where the real services for tests come from, in this order:
 * 1. the environment (DATABASE_URL, KAFKA_BROKERS) — a user's own servers;
 * 2. the project's infra/ scripts — the machine's PostgreSQL, a Kafka broker built from Maven Central;
 * 3. testcontainers, when a Docker engine is reachable;
 * otherwise a message that says how to provide them.
 */
export type ServiceSource = 'environment' | 'infra-script' | 'testcontainers';
export interface Discovered {
  readonly value: string;
  readonly source: ServiceSource;
}

function runInfraScript(script: string): string | undefined {
  const result = spawnSync('bash', [join(repoRoot(), 'infra', script), 'up'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 15 * 60_000,
  });
  const out = result.stdout?.trim().split('\n').pop();
  return result.status === 0 && out ? out : undefined;
}

// Containers stay up for the whole run; Ryuk removes them when the process ends.
const containers: Array<{ stop(): Promise<unknown> }> = [];

export async function discoverPostgres(env: NodeJS.ProcessEnv = process.env): Promise<Discovered> {
  if (env.DATABASE_URL) return { value: env.DATABASE_URL, source: 'environment' };
  const fromScript = runInfraScript('postgres.sh');
  if (fromScript) return { value: fromScript, source: 'infra-script' };
  if (dockerEngineReachable()) {
    const { GenericContainer, Wait } = await import('testcontainers');
    const container = await new GenericContainer('postgres:15')
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .start();
    containers.push(container);
    return { value: `postgres://postgres@${container.getHost()}:${container.getMappedPort(5432)}/postgres`, source: 'testcontainers' };
  }
  throw new Error(
    'No PostgreSQL for the tests: set DATABASE_URL=postgres://user@host:port/db, ' +
      'or install PostgreSQL so infra/postgres.sh can start it, or run a Docker engine for testcontainers.',
  );
}

export async function discoverKafka(env: NodeJS.ProcessEnv = process.env): Promise<Discovered> {
  if (env.KAFKA_BROKERS) return { value: env.KAFKA_BROKERS, source: 'environment' };
  const fromScript = runInfraScript('kafka.sh');
  if (fromScript) return { value: fromScript, source: 'infra-script' };
  if (dockerEngineReachable()) {
    const { GenericContainer, Wait } = await import('testcontainers');
    // The broker tells clients the address to reconnect to, so the host port is chosen first and advertised.
    const hostPort = await freePort();
    // apache/kafka takes all of its configuration from KAFKA_* variables as soon as one is given
    const container = await new GenericContainer('apache/kafka:4.4.0')
      .withExposedPorts({ container: 9092, host: hostPort })
      .withEnvironment({
        KAFKA_NODE_ID: '1',
        KAFKA_PROCESS_ROLES: 'broker,controller',
        KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
        KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://localhost:${hostPort}`,
        KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
        KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
        KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
        KAFKA_NUM_PARTITIONS: '3',
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
        KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
        KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      })
      .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
      .start();
    containers.push(container);
    return { value: `localhost:${hostPort}`, source: 'testcontainers' };
  }
  throw new Error(
    'No Kafka broker for the tests: set KAFKA_BROKERS=host:port, ' +
      'or install Java 17 and Maven so infra/kafka.sh can build and start one, or run a Docker engine for testcontainers.',
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

export async function stopDiscoveredContainers(): Promise<void> {
  await Promise.all(containers.splice(0).map((c) => c.stop()));
}

/** An S3 API server for the tests: S3_ENDPOINT, else infra/s3.sh starts S3Proxy (Java and Maven, no Docker). */
export function discoverS3(env: NodeJS.ProcessEnv = process.env): Discovered {
  if (env.S3_ENDPOINT) return { value: env.S3_ENDPOINT, source: 'environment' };
  const fromScript = runInfraScript('s3.sh');
  if (fromScript) return { value: fromScript, source: 'infra-script' };
  throw new Error('No S3 API server for the tests: set S3_ENDPOINT=http://host:port, or install Java 17 and Maven so infra/s3.sh can fetch and start S3Proxy.');
}
