import type { Stores } from '@lapor/http-kit';
import { METRIC } from '@lapor/metrics';
import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildGateway } from '../src/app';
import { demoAccounts } from '../src/seed/demo-accounts';
import { DEMO_ORGANISATION, NTT_ID } from '../src/seed/demo-organisation';
import { readUntil } from './support/eventually';
import { httpClient, type HttpClient } from './support/http';
import { embeddedStores } from './support/stores';

// What an operator's Prometheus scrapes, and what the alert rules and dashboard in
// infra/observability read: every metric they use is one a process really exports.

const OBSERVABILITY = join(__dirname, '..', '..', 'infra', 'observability');
const EXPORTED = new Set<string>(Object.values(METRIC));
/**
 * Only a process of the distributed set exports these: the relay, the Kafka-fed read sides
 * (packages/consumer-kit/test/metrics.int.spec.ts), and every process on a PostgreSQL server (statements
 * are counted as round trips to the server: packages/sql/test/statements-counted.int.spec.ts).
 */
const DISTRIBUTED_ONLY = new Set<string>([
  METRIC.relayLagEvents,
  METRIC.relayLagSeconds,
  METRIC.relayPublished,
  METRIC.kafkaConsumerLag,
  METRIC.deadLetters,
  METRIC.dbStatements,
]);

/** The metric names a PromQL expression reads (a histogram's _bucket/_count/_sum series under its own name). */
function metricsIn(expression: string): string[] {
  const names = expression.match(/\b(?:lapor|process|nodejs)_[a-z0-9_]+\b/g) ?? [];
  return names.map((name) => name.replace(/_(bucket|count|sum)$/, ''));
}

/** The metric families a /metrics text declares (its # TYPE lines). */
function familiesIn(text: string): Set<string> {
  return new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((match) => match[1]!));
}

describe('metrics an operator scrapes', () => {
  it('given the alert rules and the dashboard, then every metric they read is one our processes export', () => {
    const rules = parse(readFileSync(join(OBSERVABILITY, 'alerts.yml'), 'utf8')) as { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> };
    const dashboard = JSON.parse(readFileSync(join(OBSERVABILITY, 'grafana-dashboard.json'), 'utf8')) as {
      panels: Array<{ targets: Array<{ expr: string }> }>;
    };
    const expressions = [
      ...rules.groups.flatMap((group) => group.rules.map((rule) => rule.expr)),
      ...dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr)),
    ];

    const read = expressions.flatMap(metricsIn);

    expect(read.filter((name) => !EXPORTED.has(name))).toEqual([]);
    // the SLOs the issue asks for are all watched
    const alerts = rules.groups.flatMap((group) => group.rules.map((rule) => rule.alert));
    expect(alerts).toEqual(expect.arrayContaining(['IntakeErrorRateHigh', 'ReadModelLagging', 'DeadLetters', 'TimersOverdue', 'RelayStopped']));
  });

  describe('the embedded gateway', () => {
    let stores: Stores;
    let app: FastifyInstance;
    let http: HttpClient;
    let baseUrl: string;

    beforeAll(async () => {
      stores = await embeddedStores();
      ({ app } = await buildGateway({
        ...stores,
        jwtSecret: 'metrics-secret-metrics-secret-metrics-secret',
        seedOrganisation: DEMO_ORGANISATION,
        seedAccounts: demoAccounts('metrics-password'),
      }));
      baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
      http = httpClient(baseUrl);
    });
    afterAll(async () => {
      await app.close();
      await stores.close();
    });

    it('given a complaint submitted and tracked, when /metrics is scraped, then requests are counted by route template (never a raw URL), appends are timed, and every read side, outbox and timer gauge is there', async () => {
      const submitted = await http.post<{ complaintId: string; trackingId: string }>('/complaints', {
        kind: 'pengaduan',
        channel: 'web',
        title: 'Lampu jalan padam',
        description: 'Lampu jalan di Jl. El Tari padam sejak seminggu.',
        addressedTo: NTT_ID,
      });
      expect(submitted.status).toBe(201);
      expect((await http.get(`/tracking/${submitted.body.trackingId}`)).status).toBe(200);

      const scrape = async () => {
        const answer = await fetch(`${baseUrl}/metrics`);
        return { status: answer.status, type: answer.headers.get('content-type'), text: await answer.text() };
      };
      // the read models have applied the complaint: each one's lag is back to 0
      const caughtUp = (text: string) => /^lapor_read_model_lag_events\{/m.test(text) && !/^lapor_read_model_lag_events\{[^}]*\} [1-9]/m.test(text);
      const scraped = await readUntil(scrape, ({ text }) => caughtUp(text));

      expect(scraped.status).toBe(200);
      expect(scraped.type).toMatch(/^text\/plain/);
      expect(scraped.text).toMatch(/^lapor_http_request_duration_seconds_count\{method="POST",route="\/complaints",status_code="201"\} 1$/m);
      expect(scraped.text).toMatch(/^lapor_event_store_append_duration_seconds_count\{outcome="ok"\} [1-9]/m);
      // a complaint's id or tracking id would be a series per complaint
      expect(scraped.text).not.toContain(submitted.body.complaintId);
      expect(scraped.text).not.toContain(submitted.body.trackingId);
      const families = familiesIn(scraped.text);
      expect([...EXPORTED].filter((name) => !DISTRIBUTED_ONLY.has(name) && !families.has(name))).toEqual([]);
      expect(scraped.text).toMatch(/^lapor_outbox_depth\{outbox="webhooks"\} 0$/m);
      expect(scraped.text).toMatch(/^lapor_timers_due 0$/m);
    });
  });
});
