import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { PROBLEM_BASE, PROBLEM_CONTENT_TYPE } from './problem';

// Errors Fastify answers before any route or error handler runs: a path that is no valid URL
// (`/%`), a path parameter past the router's limit (414), headers past Node's limit (431), a
// request line Node cannot parse. By default they leave as Fastify's own JSON; here they leave in
// the shape the rest of the API speaks: problem+json, or the shape a prefix asked for (Open311's).

/** How a prefix answers its errors: the body and its content type for a status and a detail. */
export type EdgeErrorFormat = (status: number, detail: string) => { readonly contentType: string; readonly body: string };

const FORMATS = Symbol('lapor.edgeErrorFormats');
type WithFormats = FastifyInstance & { [FORMATS]?: Map<string, EdgeErrorFormat> };

/**
 * Makes errors raised before routing on URLs under `scope`'s prefix answer in `format`. The table
 * lives on the root instance and is shared with every scope (scopes inherit it by prototype).
 */
export function answerEdgeErrorsAs(scope: FastifyInstance, format: EdgeErrorFormat): void {
  (scope as WithFormats)[FORMATS]?.set(scope.prefix, format);
}

const problemFormat: EdgeErrorFormat = (status, detail) => ({
  contentType: PROBLEM_CONTENT_TYPE,
  body: JSON.stringify({ type: `${PROBLEM_BASE}${slugOf(status)}`, title: STATUS_CODES[status] ?? 'Error', status, detail }),
});

const slugOf = (status: number): string => ({ 400: 'bad-request', 408: 'request-timeout', 414: 'uri-too-long', 431: 'headers-too-large' })[status] ?? 'error';

function formatFor(app: WithFormats, url: string | undefined): EdgeErrorFormat {
  for (const [prefix, format] of app[FORMATS] ?? []) {
    if (prefix && url !== undefined && (url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`))) return format;
  }
  return problemFormat;
}

/** The request line's path, from the first bytes Node received, when they are there to read. */
function pathOfPacket(packet: unknown): string | undefined {
  if (!Buffer.isBuffer(packet)) return undefined;
  const line = packet.subarray(0, 1024).toString('latin1');
  return /^[A-Z]+ (\/\S*)/.exec(line)?.[1];
}

/** Spread into Fastify's options; then call `prepareEdgeErrors(app)` on the instance made. */
export function edgeErrorOptions(): Pick<FastifyServerOptions, 'frameworkErrors' | 'clientErrorHandler'> {
  return {
    frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
      const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : (error.statusCode ?? 400);
      const detail =
        status === 414
          ? 'A path segment is too long for any resource here.'
          : status === 400
            ? 'The path is not a valid URL (a % must start an escape such as %20).'
            : 'The request could not be routed.';
      const { contentType, body } = formatFor(request.server as WithFormats, request.url)(status, detail);
      void reply.code(status).type(contentType).send(body);
    },
    clientErrorHandler(this: FastifyInstance, error: NodeJS.ErrnoException & { rawPacket?: unknown }, socket: Socket) {
      if (error.code === 'ECONNRESET' || socket.destroyed) return;
      const [status, detail] =
        error.code === 'HPE_HEADER_OVERFLOW'
          ? [431, 'The request line and headers are larger than this server reads (16 KiB); a long URL counts too.']
          : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? [408, 'The request did not arrive in time.']
            : [400, 'The request is not valid HTTP.'];
      const { contentType, body } = formatFor(this as WithFormats, pathOfPacket(error.rawPacket))(status, detail);
      if (socket.writable) {
        socket.write(
          `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: ${contentType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
        );
      }
      socket.destroy(error);
    },
  };
}

/** Gives the root instance the table of prefixes' formats (empty: problem+json everywhere). */
export function prepareEdgeErrors(app: FastifyInstance): void {
  (app as WithFormats)[FORMATS] ??= new Map();
}
