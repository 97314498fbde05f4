import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpProblem } from './problem';

/** The version a client sends back in If-Match ("3" or W/"3"); absent → undefined. */
export function ifMatchVersion(request: FastifyRequest): bigint | undefined {
  const header = request.headers['if-match'];
  if (header === undefined) return undefined;
  const match = /^(?:W\/)?"?(\d{1,18})"?$/.exec(header.trim());
  if (!match) throw new HttpProblem(400, 'invalid-if-match', 'Invalid If-Match', 'If-Match must be the ETag you read, e.g. "3".');
  return BigInt(match[1]!);
}

export function setVersion(reply: FastifyReply, version: bigint): void {
  void reply.header('etag', `"${version}"`);
}
