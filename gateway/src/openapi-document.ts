import { buildServiceEdge, notOpened } from '@lapor/http-kit';
import type { SmsConfig } from '@lapor/sms';
import type { FastifyInstance } from 'fastify';
import { GATEWAY_TAGS, GATEWAY_TITLE } from './app';
import { declareGatewayRoutes } from './routes';

/**
 * The merged API document as YAML, from the routes the gateway declares, every part served here and
 * nothing opened: no store, no database (registering a route touches neither). The committed
 * `openapi/openapi.yaml` is this text, and a test keeps it so.
 */
export async function renderOpenApiYaml(): Promise<string> {
  return withDeclaredRoutes((app) => app.swagger({ yaml: true }));
}

/** The same document as an object, as /openapi.json serves it. */
export async function renderOpenApiDocument(): Promise<unknown> {
  return withDeclaredRoutes((app): unknown => app.swagger());
}

async function withDeclaredRoutes<T>(read: (app: FastifyInstance) => T): Promise<T> {
  const app = await buildServiceEdge({
    store: notOpened('the event store'),
    db: notOpened('the database'),
    jwtSecret: 'x'.repeat(32),
    title: GATEWAY_TITLE,
    tags: GATEWAY_TAGS,
  });
  const db = notOpened<never>('the database');
  await declareGatewayRoutes(app, {
    context: notOpened('the workflow context'),
    accounts: notOpened('the staff accounts'),
    throttle: notOpened('the sign-in throttle'),
    inbox: { db },
    systemList: { db },
    open311: { db },
    statistics: { db },
    audit: { db },
    scheduler: { db, opened: notOpened('the scheduler') },
    webhooks: { db, opened: notOpened('the webhooks service') },
    // the routes' schemas do not depend on the providers or keywords configured
    sms: { db, opened: notOpened('the SMS channel'), config: notOpened<SmsConfig>('the SMS configuration') },
  });
  try {
    await app.ready();
    return read(app);
  } finally {
    await app.close();
  }
}
