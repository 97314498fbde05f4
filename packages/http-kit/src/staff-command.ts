import { complaintDecider, ComplaintStatus, type Complaint, type ComplaintCommand } from '@lapor/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AttachmentRef } from './uploads';
import type { StaffActor } from './auth';
import { commandMetadata, type WorkflowContext } from './context';
import { commandIdOf } from './idempotency';
import { loadReadable } from './scope';
import { ifMatchVersion, setVersion } from './versioning';

export const ComplaintParams = z.strictObject({ complaintId: z.uuid() });
export const CommandAccepted = z
  .object({
    complaintId: z.uuid(),
    status: ComplaintStatus,
    version: z.string(),
    /** The files the command brought (multipart requests only). */
    attachments: z.array(AttachmentRef).optional(),
  })
  .meta({
    id: 'CommandAccepted',
    description: "A command accepted: the complaint's status and version after it (also the ETag, for the next If-Match)",
    examples: [{ complaintId: '0b8f6c2e-4d1a-4c3b-9e2f-7a6b5c4d3e2f', status: 'BELUM_DITINDAKLANJUTI', version: '4' }],
  });
export type CommandAccepted = z.infer<typeof CommandAccepted>;

/** A complaint as loadReadable answers it. */
type Readable = Awaited<ReturnType<typeof loadReadable>>;

type CommandWithoutMetadata = ComplaintCommand extends infer C ? (C extends ComplaintCommand ? Omit<C, 'metadata'> : never) : never;

/**
 * A staff member's command on a complaint they can see: built from its current state, decided,
 * appended with the version the client sent in If-Match (or the one just read), answered with the
 * new status and version (also as ETag). Given its id, the complaint is loaded here; a route that has
 * just loaded it (loadReadable: the scope checked first, or streams caught up alongside) passes it
 * instead: one read of the stream, not two, and the append with the version it was read at still
 * refuses a change made meanwhile (409).
 */
export async function runStaffCommand(
  context: WorkflowContext,
  request: FastifyRequest,
  reply: FastifyReply,
  actor: StaffActor,
  complaint: string | Readable,
  build: (complaint: Complaint) => CommandWithoutMetadata,
): Promise<CommandAccepted> {
  const loaded = typeof complaint === 'string' ? await loadReadable(context, complaint, actor) : complaint;
  const { complaintId } = loaded.state;
  const command = { ...build(loaded.state), metadata: commandMetadata(context, actor) } as ComplaintCommand;
  const outcome = await context.repository.execute(
    command,
    { commandId: commandIdOf(request, context.newId), correlationId: request.id, expectedVersion: ifMatchVersion(request) },
    loaded,
  );
  setVersion(reply, outcome.version);
  const after = outcome.events.reduce(complaintDecider.evolve, loaded.state);
  return { complaintId, status: after.submitted ? after.status : loaded.state.status, version: outcome.version.toString() };
}
