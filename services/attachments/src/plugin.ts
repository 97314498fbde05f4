import { ALLOWED_TYPES, AttachmentErased } from '@lapor/attachment-store';
import { fileSchema, HttpProblem, notFound, Problem, type WorkflowContext } from '@lapor/http-kit';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { complaintForDownload } from './access';
import { byteRange } from './range';

const AttachmentParams = z.strictObject({ complaintId: z.uuid(), attachmentId: z.uuid() });

/** `filename*` (RFC 6266/8187) carries any name; the plain `filename` an ASCII stand-in for old clients. */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** Downloading a complaint's files; they come in with the commands that carry them (intake, follow-up). */
export async function attachmentRoutes(app: FastifyInstance, options: { context: WorkflowContext }): Promise<void> {
  const { context } = options;
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/complaints/:complaintId/attachments/:attachmentId',
    {
      schema: {
        operationId: 'downloadAttachment',
        summary: 'Download a file attached to a complaint (whole, or a byte range)',
        description:
          'The reporter (x-reporter-secret), staff who can see the complaint, or an agency system (x-api-key) whose instansi it touched; never the public. ' +
          'Always a download (Content-Disposition: attachment) of the type sniffed from its content, with X-Content-Type-Options: nosniff. ' +
          'Range: bytes=… answers 206 with those bytes. A file erased with the reporter’s personal data answers 410.',
        tags: ['attachments'],
        security: [{ bearer: [] }, { apiKey: [] }, { reporterSecret: [] }],
        params: AttachmentParams,
        response: {
          // sent as the type sniffed from its content when it was stored: one of the types allowed in
          200: fileSchema('The file', ALLOWED_TYPES),
          206: fileSchema('The bytes of the range asked for', ALLOWED_TYPES),
          400: Problem,
          401: Problem,
          403: Problem,
          404: Problem,
          410: Problem,
          416: Problem,
        },
      },
    },
    async (request, reply) => {
      const { complaintId, attachmentId } = request.params;
      await complaintForDownload(context, request, complaintId);
      const missing = () => notFound(`No file ${attachmentId} attached to complaint ${complaintId}.`);
      try {
        const described = await context.attachments.describe(attachmentId);
        // a file a refused or unfinished command brought is nobody's to read
        if (!described || described.complaintId !== complaintId || !described.attached) throw missing();
        const range = byteRange(request.headers.range, described.size);
        if (range === 'unsatisfiable') {
          void reply.header('content-range', `bytes */${described.size}`);
          throw new HttpProblem(416, 'range-not-satisfiable', 'Range Not Satisfiable', `The file has ${described.size} bytes.`);
        }
        const read = await context.attachments.read(attachmentId, range);
        if (!read) throw missing();
        void reply
          .header('content-type', described.mediaType)
          .header('content-disposition', contentDisposition(described.name))
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'private, no-store')
          .header('accept-ranges', 'bytes')
          .header('content-length', String(range ? range.end - range.start + 1 : described.size));
        if (range) void reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${described.size}`);
        return reply.send(Readable.from(read.body));
      } catch (error) {
        if (error instanceof AttachmentErased) throw new HttpProblem(410, 'erased', 'Gone', 'This file was erased with the reporter’s personal data.');
        throw error;
      }
    },
  );
}
