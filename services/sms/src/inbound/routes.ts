import { HttpProblem, Problem, PROBLEM_BASE, PROBLEM_CONTENT_TYPE, unauthorized, type WorkflowContext } from '@lapor/http-kit';
import type { SqlRunner } from '@lapor/sql';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { SmsConfig } from '../config';
import { normalisePhone } from '../phone/e164';
import { keyedFingerprint } from '../phone/reporter-ref';
import { InboundSmsAccepted, InboundSmsBody, InboundSmsHeaders } from '../schemas';
import { actOnSms } from './act';
import { InboundLedger } from './ledger';
import { verifySmsWebhook } from './signature';

export const INBOUND_PATH = '/channels/sms/inbound';

export interface InboundOptions {
  readonly context: WorkflowContext;
  readonly db: SqlRunner;
  readonly config: SmsConfig;
  readonly now: () => Date;
  /** Replies were queued (and committed). */
  readonly onQueued?: () => void;
}

/**
 * The provider's webhook. Registered in a context of its own: JSON bodies here are kept raw, since
 * the signature is over the bytes as sent, and checked before anything is parsed, validated or stored.
 */
export async function inboundRoutes(app: FastifyInstance, options: InboundOptions): Promise<void> {
  const { context, config, now } = options;
  const ledger = new InboundLedger(options.db);
  // the provider each request was signed by; absent, the request was not (validly) signed
  const signedBy = new WeakMap<FastifyRequest, string>();

  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 16 * 1024 }, (request, body, done) => {
    const check = verifySmsWebhook(request.headers, body as Buffer, config.providers, now().getTime(), config.signatureToleranceMs);
    if (!check.valid) return done(unauthorized(check.reason), undefined);
    signedBy.set(request, check.provider);
    try {
      done(null, JSON.parse((body as Buffer).toString('utf8')));
    } catch {
      done(
        new HttpProblem(400, 'invalid-json', 'Invalid JSON', 'The body is not JSON.', { errors: [{ field: 'body', message: 'The body is not JSON.' }] }),
        undefined,
      );
    }
  });
  // a request without a JSON body never reached the parser: unsigned all the same
  app.addHook('preValidation', async (request) => {
    if (!signedBy.has(request)) throw unauthorized('The request is not signed: send the JSON body with its signature headers.');
  });

  app.withTypeProvider<ZodTypeProvider>().post(
    INBOUND_PATH,
    {
      schema: {
        operationId: 'receiveSms',
        summary: 'An SMS to 1708, from the SMS gateway provider',
        description:
          'Signed with HMAC-SHA256 over "<timestamp>.<raw body>" (the provider’s secret from LAPOR_SMS_PROVIDERS); a bad, missing or ' +
          'stale (over 5 minutes) signature is 401 and nothing is stored. The text is read as: free text (a new complaint to nasional), ' +
          '`KEYWORD text` (to that region’s instansi), `STATUS <tracking id>`, `<tracking id> <text>` (a reply, or missing data in Tunda); ' +
          'anything else gets help. The answer goes back by SMS; a retry with the same messageId is answered the same and does nothing new.',
        tags: ['sms'],
        security: [],
        headers: InboundSmsHeaders,
        body: InboundSmsBody,
        response: { 200: InboundSmsAccepted, 400: Problem, 401: Problem, 409: Problem, 422: Problem, 503: Problem },
      },
    },
    async (request, reply) => {
      const provider = signedBy.get(request)!;
      const body = request.body;
      const phone = normalisePhone(body.from);
      if (!phone) {
        const detail = 'body.from: not a mobile number an SMS can be answered on (e.g. 0812…, +62 812…).';
        return reply
          .code(422)
          .type(PROBLEM_CONTENT_TYPE)
          .send({
            type: `${PROBLEM_BASE}invalid-phone`,
            title: 'Invalid phone number',
            status: 422,
            detail,
            instance: request.url,
            errors: [{ field: 'body.from', message: detail }],
          });
      }
      const fingerprint = keyedFingerprint(config.reporterKey, [body.messageId, phone, body.text]);
      const claim = await ledger.claim(provider, body.messageId, fingerprint, now(), body.receivedAt ?? null);
      switch (claim.kind) {
        case 'done':
          return reply.header('idempotent-replayed', 'true').send(claim.answer);
        case 'in_progress':
          void reply.header('retry-after', '5');
          throw new HttpProblem(409, 'message-in-progress', 'Message in progress', 'This messageId is being handled just now; retry shortly.');
        case 'reused': {
          const detail = 'body.messageId: this provider sent another message under this id before; each message needs its own id.';
          return reply
            .code(409)
            .type(PROBLEM_CONTENT_TYPE)
            .send({
              type: `${PROBLEM_BASE}message-id-reused`,
              title: 'Message id reused',
              status: 409,
              detail,
              instance: request.url,
              errors: [{ field: 'body.messageId', message: detail }],
            });
        }
        case 'claimed':
          break;
        default: {
          const unhandled: never = claim;
          return unhandled;
        }
      }
      try {
        const acted = await actOnSms({ context, config, log: request.log }, { provider, messageId: body.messageId, phone, text: body.text }, request.id);
        await ledger.complete(provider, body.messageId, acted.answer, acted.replies, now());
        options.onQueued?.();
        request.log.info(
          {
            provider,
            messageId: body.messageId,
            action: acted.answer.action,
            trackingId: acted.answer.trackingId,
            reason: acted.answer.reason,
            takeover: claim.takeover,
          },
          'sms received',
        );
        return acted.answer;
      } catch (error) {
        // nothing half-done stays claimed: the provider's retry runs it again at once
        await ledger.release(provider, body.messageId).catch(() => undefined);
        throw error;
      }
    },
  );
}
