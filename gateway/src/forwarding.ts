import { CircuitBreaker, HttpProblem, type CallerVouching } from '@lapor/http-kit';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';

// Distributed mode: what the gateway does when a service it forwards to is dead (refused, reset),
// frozen (never answers) or known to be down. A citizen gets a quick problem+json naming the
// service with Retry-After, never a 500 or a request hanging on undici's 300 s default, and a
// service that is down is not hammered while it comes back (one breaker per service).

export interface ForwardingConfig {
  /** Opening a connection to a service. */
  readonly connectTimeoutMs: number;
  /** A service's response headers, and then each pause in its body. */
  readonly timeoutMs: number;
  /** Consecutive failed forwards that open a service's circuit. */
  readonly failuresToOpen: number;
  /** How long an open circuit answers 503 before one trial call goes through. */
  readonly coolDownMs: number;
}

const milliseconds = (fallback: number) => z.coerce.number().int().min(1).max(600_000).default(fallback);

/** The variables, added to the gateway's environment schema. */
export const FORWARDING_ENVIRONMENT = {
  LAPOR_PROXY_CONNECT_TIMEOUT_MS: milliseconds(2_000),
  LAPOR_PROXY_TIMEOUT_MS: milliseconds(10_000),
  LAPOR_PROXY_BREAKER_FAILURES: z.coerce.number().int().min(1).max(1_000).default(5),
  // short: a trial call to a dead service costs one refused connection, and a restarted one is back in use this soon
  LAPOR_PROXY_BREAKER_COOLDOWN_MS: milliseconds(2_000),
};
const ForwardingEnvironment = z.object(FORWARDING_ENVIRONMENT);

export function forwardingConfig(e: z.infer<typeof ForwardingEnvironment>): ForwardingConfig {
  return {
    connectTimeoutMs: e.LAPOR_PROXY_CONNECT_TIMEOUT_MS,
    timeoutMs: e.LAPOR_PROXY_TIMEOUT_MS,
    failuresToOpen: e.LAPOR_PROXY_BREAKER_FAILURES,
    coolDownMs: e.LAPOR_PROXY_BREAKER_COOLDOWN_MS,
  };
}

export const DEFAULT_FORWARDING: ForwardingConfig = forwardingConfig(ForwardingEnvironment.parse({}));

/** Where a service listens, and what the gateway knows of its health. */
export interface ForwardTarget {
  readonly name: string;
  readonly base: string;
  readonly breaker: CircuitBreaker;
}

// undici's error codes (possibly wrapped by @fastify/reply-from as the cause) for "no answer in time"
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'FST_REPLY_FROM_GATEWAY_TIMEOUT', 'ETIMEDOUT']);

function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  for (let current = error as { code?: unknown; cause?: unknown } | undefined; current; current = current.cause as typeof current) {
    if (typeof current.code === 'string') codes.push(current.code);
  }
  return codes;
}

const seconds = (ms: number): string => String(Math.max(1, Math.ceil(ms / 1000)));

/** The services this gateway forwards to: their URLs, their breakers, their readiness. */
export class Forwarding {
  private readonly targets = new Map<string, ForwardTarget>();

  constructor(
    readonly urls: Readonly<Record<string, string>>,
    readonly config: ForwardingConfig = DEFAULT_FORWARDING,
    /** How the gateway tells a service who the caller proved to be, so the service does not check again. */
    readonly vouching?: CallerVouching,
    private readonly now: () => number = Date.now,
  ) {}

  /** The service's target; asking for it is what makes the gateway depend on it (readiness counts it). */
  target(name: string): ForwardTarget {
    const known = this.targets.get(name);
    if (known) return known;
    const base = this.urls[name];
    if (!base) throw new Error(`distributed mode: no URL for the ${name} service`);
    const target = { name, base, breaker: new CircuitBreaker(this.config, this.now) };
    this.targets.set(name, target);
    return target;
  }

  /** 503 at once while the service's circuit is open: nothing is sent to it. */
  refuse(target: ForwardTarget, reply: FastifyReply): FastifyReply {
    return reply
      .header('retry-after', seconds(target.breaker.retryAfterMs()))
      .send(
        new HttpProblem(
          503,
          'service-unavailable',
          'Service Unavailable',
          `The ${target.name} service failed ${this.config.failuresToOpen} times in a row; the gateway tries it again in a while.`,
        ),
      );
  }

  /** A forward that got no answer: 504 when it ran out of time, 502 when refused or cut off. */
  failed(target: ForwardTarget, reply: FastifyReply, error: unknown): FastifyReply {
    target.breaker.failed();
    const codes = codesOf(error);
    reply.request.log.warn({ service: target.name, codes }, 'forwarding: the service did not answer');
    // once open, the answer is to come back after the cool-down; before, a moment may do
    reply.header('retry-after', seconds(target.breaker.retryAfterMs()));
    if (codes.some((code) => TIMEOUT_CODES.has(code))) {
      return reply.send(
        new HttpProblem(
          504,
          'gateway-timeout',
          'Gateway Timeout',
          `The ${target.name} service did not answer within ${codes.includes('UND_ERR_CONNECT_TIMEOUT') ? this.config.connectTimeoutMs : this.config.timeoutMs} ms.`,
        ),
      );
    }
    return reply.send(
      new HttpProblem(502, 'bad-gateway', 'Bad Gateway', `The ${target.name} service could not be reached (${codes[codes.length - 1] ?? 'no answer'}).`),
    );
  }

  /**
   * Each service forwarded to, asked for its own /health/ready within the connect timeout: the
   * gateway is ready only when every service it forwards to is, and says which is not.
   */
  async readiness(): Promise<Record<string, 'ok' | 'unavailable'>> {
    const answers = await Promise.all(
      [...this.targets.values()].map(async ({ name, base }) => {
        try {
          const response = await fetch(`${base}/health/ready`, { signal: AbortSignal.timeout(this.config.connectTimeoutMs) });
          await response.body?.cancel();
          return [name, response.ok ? 'ok' : 'unavailable'] as const;
        } catch {
          return [name, 'unavailable'] as const;
        }
      }),
    );
    return Object.fromEntries(answers);
  }
}
