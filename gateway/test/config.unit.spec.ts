import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/config';

const ON_POSTGRES = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/lapor' };

describe('the gateway configuration for busy and broken days', () => {
  it('given no LAPOR_MAX_IN_FLIGHT, then the bound is 64 on the embedded store and 256 on PostgreSQL', () => {
    expect(loadConfig({}).maxInFlight).toBe(64);
    expect(loadConfig(ON_POSTGRES).maxInFlight).toBe(256);
  });

  it('given no LAPOR_MAX_EVENT_LOOP_DELAY_MS, then requests are shed past 200 ms of delay on the embedded store, and not by delay on PostgreSQL', () => {
    expect(loadConfig({}).maxEventLoopDelayMs).toBe(200);
    expect(loadConfig(ON_POSTGRES).maxEventLoopDelayMs).toBe(0);
    expect(loadConfig({ LAPOR_MAX_EVENT_LOOP_DELAY_MS: '500' }).maxEventLoopDelayMs).toBe(500);
  });

  it('given no OTEL_EXPORTER_OTLP_ENDPOINT, then nothing is traced; given one, spans go there under the gateway name (or OTEL_SERVICE_NAME); a non-URL stops the start naming it', () => {
    expect(loadConfig({}).tracing).toEqual({ endpoint: undefined, serviceName: 'gateway' });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SERVICE_NAME: 'gateway-a' }).tracing).toEqual({
      endpoint: 'http://collector:4318',
      serviceName: 'gateway-a',
    });
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
  });

  it('given no webhook receiver settings, then only https to public addresses; given them, plain-http localhost and the listed networks; a bad network stops the start naming it', () => {
    expect(loadConfig({}).webhookReceivers).toEqual({ allowInsecureLocalhost: false, allowNetworks: [] });
    expect(loadConfig({ LAPOR_WEBHOOK_ALLOW_INSECURE_LOCALHOST: 'true', LAPOR_WEBHOOK_ALLOW_NETWORKS: '127.0.0.1/32, 10.20.0.0/16' }).webhookReceivers).toEqual(
      {
        allowInsecureLocalhost: true,
        allowNetworks: ['127.0.0.1/32', '10.20.0.0/16'],
      },
    );
    expect(() => loadConfig({ LAPOR_WEBHOOK_ALLOW_NETWORKS: '10.20.0.0/99' })).toThrow(/LAPOR_WEBHOOK_ALLOW_NETWORKS/);
  });

  it('given the standard sampler settings, then a ratio sampler is accepted; a misspelt sampler or a ratio above 1 stops the start naming it', () => {
    expect(() => loadConfig({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' })).not.toThrow();
    expect(() => loadConfig({ OTEL_TRACES_SAMPLER: 'ratio' })).toThrow(/OTEL_TRACES_SAMPLER/);
    expect(() => loadConfig({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '10' })).toThrow(/OTEL_TRACES_SAMPLER_ARG/);
  });

  it('given LAPOR_MAX_IN_FLIGHT, then it is the bound; a bound below 1 stops the start naming it', () => {
    expect(loadConfig({ LAPOR_MAX_IN_FLIGHT: '16' }).maxInFlight).toBe(16);
    expect(() => loadConfig({ LAPOR_MAX_IN_FLIGHT: '0' })).toThrow(/LAPOR_MAX_IN_FLIGHT/);
  });

  it('given nothing about forwarding, then 2 s to connect, 10 s to answer, 5 failures open a circuit for 10 s; each can be set', () => {
    expect(loadConfig({}).forwarding).toEqual({ connectTimeoutMs: 2_000, timeoutMs: 10_000, failuresToOpen: 5, coolDownMs: 2_000 });
    const set = loadConfig({
      LAPOR_PROXY_CONNECT_TIMEOUT_MS: '500',
      LAPOR_PROXY_TIMEOUT_MS: '3000',
      LAPOR_PROXY_BREAKER_FAILURES: '3',
      LAPOR_PROXY_BREAKER_COOLDOWN_MS: '20000',
    });
    expect(set.forwarding).toEqual({ connectTimeoutMs: 500, timeoutMs: 3_000, failuresToOpen: 3, coolDownMs: 20_000 });
    expect(() => loadConfig({ LAPOR_PROXY_TIMEOUT_MS: 'soon' })).toThrow(/LAPOR_PROXY_TIMEOUT_MS/);
  });
});

describe('the gateway configuration for a first start', () => {
  it('given no HOST, then it listens on loopback only; HOST opens it', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  it('given no LAPOR_DEMO, then no demo; LAPOR_DEMO=1 or true asks for it; anything else stops the start naming it', () => {
    expect(loadConfig({}).demo).toBe(false);
    expect(loadConfig({ LAPOR_DEMO: '1' }).demo).toBe(true);
    expect(loadConfig({ LAPOR_DEMO: 'true' }).demo).toBe(true);
    expect(loadConfig({ LAPOR_DEMO: '0' }).demo).toBe(false);
    expect(() => loadConfig({ LAPOR_DEMO: 'yes please' })).toThrow(/LAPOR_DEMO/);
  });

  it('given a first administrator’s password, then it is the operator’s own, at least 12 characters; none means none', () => {
    expect(loadConfig({}).firstAdmin).toBeUndefined();
    expect(loadConfig({ LAPOR_FIRST_ADMIN_PASSWORD: 'long-enough-pw' }).firstAdmin).toEqual({ username: 'admin', password: 'long-enough-pw' });
    expect(loadConfig({ LAPOR_FIRST_ADMIN_PASSWORD: 'long-enough-pw', LAPOR_FIRST_ADMIN_USERNAME: 'ops.lead' }).firstAdmin?.username).toBe('ops.lead');
    expect(() => loadConfig({ LAPOR_FIRST_ADMIN_PASSWORD: 'short' })).toThrow(/LAPOR_FIRST_ADMIN_PASSWORD: at least 12 characters/);
  });
});

describe('the gateway configuration of the distributed topology', () => {
  it('given the service URLs infra/start-distributed.sh passes, then the gateway takes every one of them (the attachments service included)', () => {
    const script = readFileSync(join(__dirname, '..', '..', 'infra', 'start-distributed.sh'), 'utf8');
    const urls = /^urls="([^"]+)"/m.exec(script)?.[1];
    expect(urls).toBeDefined();
    const config = loadConfig({ ...ON_POSTGRES, LAPOR_SERVICE_URLS: urls });
    expect(Object.keys(config.serviceUrls ?? {})).toEqual(expect.arrayContaining(['intake', 'administration', 'attachments']));
  });

  it('given a misspelt service in LAPOR_SERVICE_URLS, then the start stops naming it', () => {
    expect(() => loadConfig({ ...ON_POSTGRES, LAPOR_SERVICE_URLS: 'intak=http://127.0.0.1:3001' })).toThrow(/unknown service intak/);
  });
});
