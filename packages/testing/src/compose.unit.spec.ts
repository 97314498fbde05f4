import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from './repo-root';

// docker-compose.yml cannot run on our machines (no Docker engine), so its shape is checked here:
// every service in services/ and the gateway is in it, built from a Dockerfile that exists, with a
// health check and the configuration its main refuses to start without.

interface ComposeService {
  image?: string;
  cpu_shares?: number;
  build?: { dockerfile?: string; args?: Record<string, string> };
  environment?: Record<string, string>;
  healthcheck?: { test?: unknown };
  depends_on?: Record<string, unknown>;
}

const root = repoRoot();
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
const built = Object.entries(compose.services).filter(([, service]) => service.build);

describe('docker-compose.yml', () => {
  it('runs every service in services/ and the gateway, from the folder of the same name', () => {
    const serviceDirs = readdirSync(join(root, 'services'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(root, 'services', entry.name, 'src', 'main.ts')))
      .map((entry) => `services/${entry.name}`);
    const composed = built.map(([, service]) => service.build?.args?.SERVICE_DIR).sort();
    expect(composed).toEqual([...serviceDirs, 'gateway'].sort());
    for (const [name, service] of built) {
      expect({ name, dir: service.build?.args?.SERVICE_DIR?.split('/').pop() }).toEqual({ name, dir: name });
    }
  });

  it('builds from Dockerfiles that exist, with a health check and the configuration each main needs', () => {
    for (const [name, service] of built) {
      expect({ name, dockerfile: existsSync(join(root, service.build!.dockerfile!)) }).toEqual({ name, dockerfile: true });
      expect({ name, healthcheck: Array.isArray(service.healthcheck?.test) }).toEqual({ name, healthcheck: true });
      const environment = Object.keys(service.environment ?? {});
      for (const variable of ['DATABASE_URL', 'LAPOR_JWT_SECRET', 'LAPOR_MASTER_KEY', 'LAPOR_KEY_DIR', 'PORT']) {
        expect({ name, variable, set: environment.includes(variable) }).toEqual({ name, variable, set: true });
      }
      expect({ name, waitsForPostgres: service.depends_on && 'postgres' in service.depends_on }).toEqual({ name, waitsForPostgres: true });
    }
    expect(compose.services.relay?.environment?.KAFKA_BROKERS).toBe('kafka:29092');
  });

  it('has the gateway forward to every service with an API, each at its own port, and feeds the read sides from Kafka', () => {
    // the relay has no API of its own to forward to: it only publishes to Kafka
    const withApi = built.filter(([name]) => name !== 'gateway' && name !== 'relay');
    const urls = compose.services.gateway?.environment?.LAPOR_SERVICE_URLS?.split(',').sort();
    expect(urls).toEqual(withApi.map(([name, service]) => `${name}=http://${name}:${service.environment?.PORT}`).sort());
    for (const [name] of withApi) expect({ name, afterGateway: 'gateway' in (compose.services[name]!.depends_on ?? {}) }).toEqual({ name, afterGateway: true });
    for (const name of ['follow-up', 'statistics', 'scheduler', 'webhooks']) {
      expect({ name, brokers: compose.services[name]?.environment?.KAFKA_BROKERS }).toEqual({ name, brokers: 'kafka:29092' });
      expect({ name, waitsForKafka: 'kafka' in (compose.services[name]?.depends_on ?? {}) }).toEqual({ name, waitsForKafka: true });
    }
  });

  it('gives the processes no write waits for half the CPU weight of those that answer writes, as start-distributed.sh nices them', () => {
    const script = readFileSync(join(root, 'infra', 'start-distributed.sh'), 'utf8');
    const niced = /^background="([^"]*)"$/m.exec(script)?.[1]?.split(' ').sort();
    const weighted = built
      .filter(([, service]) => service.cpu_shares !== undefined)
      .map(([name]) => name)
      .sort();
    expect(weighted).toEqual(niced);
    for (const name of weighted) expect({ name, cpu_shares: compose.services[name]?.cpu_shares }).toEqual({ name, cpu_shares: 512 });
    for (const name of ['gateway', 'intake', 'verification', 'disposition', 'follow-up']) expect(compose.services[name]?.cpu_shares).toBeUndefined();
  });

  it('uses the Kafka version the infra scripts fetch', () => {
    const pom = readFileSync(join(root, 'infra', 'kafka', 'pom.xml'), 'utf8');
    const version = /<kafka.version>([^<]+)<\/kafka.version>/.exec(pom)?.[1];
    expect(compose.services.kafka?.image).toBe(`apache/kafka:${version}`);
  });
});
