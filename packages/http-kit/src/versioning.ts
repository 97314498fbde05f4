import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpProblem } from './problem';

/**
 * The version a client sends back in If-Match ("3"); absent → undefined. If-Match compares
 * strongly (RFC 9110 §13.1.1): a weak tag (W/"3") never matches any version, so it is refused
 * with 412 here, once, for every route that takes If-Match.
 */
export function ifMatchVersion(request: FastifyRequest): bigint | undefined {
  const header = request.headers['if-match'];
  if (header === undefined) return undefined;
  const match = /^(W\/)?"?(\d{1,18})"?$/.exec(header.trim());
  if (!match) {
    const detail = 'If-Match must be the ETag you read, e.g. "3".';
    throw new HttpProblem(400, 'invalid-if-match', 'Invalid If-Match', detail, { errors: [{ field: 'headers.if-match', message: detail }] });
  }
  if (match[1]) {
    throw new HttpProblem(
      412,
      'precondition-failed',
      'Precondition Failed',
      'If-Match compares strongly: a weak tag (W/"…") never matches. Send the ETag you read, e.g. "3".',
    );
  }
  return BigInt(match[2]!);
}

export function setVersion(reply: FastifyReply, version: bigint): void {
  void reply.header('etag', `"${version}"`);
}
