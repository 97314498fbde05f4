import type { Complaint } from '@lapor/domain';
import {
  API_KEY_HEADER,
  canRead,
  notFound,
  REPORTER_SECRET_HEADER,
  reporterFromSecret,
  requireIntegration,
  requireStaff,
  unauthorized,
  type WorkflowContext,
} from '@lapor/http-kit';
import type { FastifyRequest } from 'fastify';

/**
 * Who may download a complaint's files: its reporter (their secret), staff whose scope it touched,
 * an agency system whose instansi it touched (its key). Nobody else, not the public, not Open311:
 * any other caller finds nothing (404), as if the complaint did not exist.
 */
export async function complaintForDownload(context: WorkflowContext, request: FastifyRequest, complaintId: string): Promise<Complaint> {
  const loaded = await context.repository.load(complaintId);
  const state = loaded.state.submitted ? loaded.state : undefined;
  const absent = () => notFound(`No complaint ${complaintId} whose files you may read.`);
  if (request.headers.authorization) {
    const actor = await requireStaff(request);
    if (state && canRead(context.directory.tree, actor, state)) return state;
    throw absent();
  }
  if (request.headers[API_KEY_HEADER] !== undefined) {
    const { key } = await requireIntegration(request, context.apiKeys);
    // a key of no instansi is a national system's (as at submission, where it addresses nasional)
    if (state && canRead(context.directory.tree, { nodeId: key.instansiId ?? 'nasional' }, state)) return state;
    throw absent();
  }
  if (request.headers[REPORTER_SECRET_HEADER] !== undefined) {
    const actor = reporterFromSecret(request);
    if (state && state.reporterRef === actor.id) return state;
    throw absent();
  }
  throw unauthorized(`This needs a staff token, an agency API key (${API_KEY_HEADER}) or the reporter secret (${REPORTER_SECRET_HEADER}).`);
}
