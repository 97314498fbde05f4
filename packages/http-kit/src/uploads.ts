import fastifyMultipart, { type Multipart } from '@fastify/multipart';
import { AttachmentErased, AttachmentTooLarge, inspectUpload, MalwareFound, type SealedUnder, type StoredAttachment } from '@lapor/attachment-store';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AttachmentRef } from '@lapor/domain';
import type { WorkflowContext } from './context';
import { HttpProblem } from './problem';

/** A file as the answer to the command that brought it names it: what its event names too (never the bytes). */
export { AttachmentRef };

export const refOf = (file: StoredAttachment): AttachmentRef => ({
  id: file.id,
  name: file.name,
  mediaType: file.mediaType,
  size: file.size,
  sha256: file.sha256,
});

/** The multipart field holding a command's JSON body; the files follow it. */
export const COMMAND_FIELD = 'command';

// The files of a multipart command, waiting for its handler once the body has been validated.
const waitingFiles = new WeakMap<FastifyRequest, AsyncIterator<Multipart>>();

const badMultipart = (detail: string) =>
  new HttpProblem(400, 'validation', 'Invalid request', detail, { errors: [{ field: `body.${COMMAND_FIELD}`, message: detail }] });
const fileProblem = (status: 413 | 415 | 422, slug: string, title: string, name: string, message: string) =>
  new HttpProblem(status, slug, title, `${name}: ${message}`, { errors: [{ field: `files.${name}`, message }] });

/**
 * Lets this plugin's command routes take `multipart/form-data` as well as JSON: the first part is
 * the field `command` (the JSON body the route validates as usual), then the files. The files are
 * not read here: the handler streams them into the attachment store once it knows the complaint.
 */
export async function acceptUploads(app: FastifyInstance): Promise<void> {
  await app.register(fastifyMultipart);
  app.addHook('preValidation', async (request) => {
    if (!request.isMultipart()) return;
    // the sizes are checked while storing, naming the file (the parser's own file limit, the body
    // limit by default, would cut a file short); these only bound what the parser holds
    const parts = request.parts({ limits: { fields: 1, fieldSize: 256 * 1024, parts: 64, fileSize: Number.MAX_SAFE_INTEGER } })[Symbol.asyncIterator]();
    const first = await parts.next();
    if (first.done || first.value.type !== 'field' || first.value.fieldname !== COMMAND_FIELD) {
      throw badMultipart(`the first part of a multipart request is the field "${COMMAND_FIELD}", the command's JSON body`);
    }
    try {
      request.body = JSON.parse(String(first.value.value));
    } catch {
      throw badMultipart(`the field "${COMMAND_FIELD}" is not JSON`);
    }
    waitingFiles.set(request, parts);
  });
}

export interface UploadTarget {
  readonly complaintId: string;
  readonly sealedUnder: SealedUnder;
  /** An anonymous reporter's photos lose their GPS position. */
  readonly stripGps: boolean;
}

/**
 * Stores the files that came with the request (none for a JSON one), each checked while it
 * streams: its type by content (415), the size of a file, the count and the complaint's total
 * (413). A refusal names the file and keeps nothing of this request's files.
 */
export async function receiveUploads(context: WorkflowContext, request: FastifyRequest, target: UploadTarget): Promise<StoredAttachment[]> {
  const parts = waitingFiles.get(request);
  if (!parts) return [];
  waitingFiles.delete(request);
  const { store, limits } = { store: context.attachments, limits: context.attachments.limits };
  const stored: StoredAttachment[] = [];
  try {
    let total = await store.bytesOf(target.complaintId);
    for (let next = await parts.next(); !next.done; next = await parts.next()) {
      const part = next.value;
      if (part.type !== 'file') throw badMultipart(`after the field "${COMMAND_FIELD}" only files may follow, not the field "${part.fieldname}"`);
      const name = part.filename || `lampiran-${stored.length + 1}`;
      if (stored.length >= limits.LAPOR_ATTACHMENT_MAX_FILES) {
        throw fileProblem(413, 'too-many-files', 'Too many files', name, `at most ${limits.LAPOR_ATTACHMENT_MAX_FILES} files at a time`);
      }
      const inspected = await inspectUpload(part.file, { stripGps: target.stripGps });
      if (!inspected.mediaType) {
        throw fileProblem(415, 'unsupported-file-type', 'Unsupported file type', name, 'its content is not JPEG, PNG, WebP, HEIC, PDF or an office document');
      }
      const fileLimit = limits.LAPOR_ATTACHMENT_MAX_FILE_BYTES;
      const complaintLeft = limits.LAPOR_ATTACHMENT_MAX_COMPLAINT_BYTES - total;
      try {
        const file = await store.store(
          {
            complaintId: target.complaintId,
            name,
            mediaType: inspected.mediaType,
            sealedUnder: target.sealedUnder,
            maxBytes: Math.min(fileLimit, complaintLeft),
          },
          inspected.content,
        );
        total += file.size;
        stored.push(file);
      } catch (error) {
        if (error instanceof MalwareFound) throw fileProblem(422, 'malware-found', 'Malware found', name, 'the malware scanner refused it');
        if (!(error instanceof AttachmentTooLarge)) throw error;
        const message =
          complaintLeft < fileLimit
            ? `the complaint's files may add up to ${limits.LAPOR_ATTACHMENT_MAX_COMPLAINT_BYTES} bytes`
            : `a file may be at most ${fileLimit} bytes`;
        throw fileProblem(413, 'file-too-large', 'File too large', name, message);
      }
    }
    return stored;
  } catch (error) {
    await Promise.all(stored.map((file) => store.remove(file.id)));
    if (error instanceof AttachmentErased)
      throw new HttpProblem(410, 'erased', 'Gone', "The complaint's personal data was erased; nothing can be attached to it.");
    throw error;
  }
}

/** Removes files a refused command would have carried. */
export async function discardUploads(context: WorkflowContext, ids: readonly string[]): Promise<void> {
  await Promise.all(ids.map((id) => context.attachments.remove(id)));
}

/**
 * Runs a command with the request's files attached: they are stored first, the command carries
 * their ids, and when it is refused they are removed again. A crash between leaves files no
 * command refers to: the orphan sweep removes them.
 */
export async function withUploads<T extends object>(
  context: WorkflowContext,
  request: FastifyRequest,
  target: UploadTarget,
  run: (attachments: AttachmentRef[]) => Promise<T>,
): Promise<T & { attachments?: AttachmentRef[] }> {
  const stored = await receiveUploads(context, request, target);
  const ids = stored.map((file) => file.id);
  let result: T;
  try {
    result = await run(stored.map(refOf));
  } catch (error) {
    await discardUploads(context, ids);
    throw error;
  }
  await context.attachments.attach(target.complaintId, ids);
  return stored.length > 0 ? { ...result, attachments: stored.map(refOf) } : result;
}
