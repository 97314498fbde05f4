import type { Complaint, OrganisationTree } from '@lapor/domain';
import type { FollowedStream, LoadedComplaint } from '@lapor/workflow';
import type { StaffActor } from './auth';
import type { WorkflowContext } from './context';
import { notFound } from './problem';

/**
 * Staff read a complaint when their node is at or above a node it has touched: where it came in,
 * every holder on its way, and the bodies copied on it. Everything else is as if it did not exist.
 */
export function canRead(tree: OrganisationTree, actor: Pick<StaffActor, 'nodeId'>, complaint: Complaint): boolean {
  const touched = new Set<string>([complaint.addressedTo.id, complaint.holder.id, ...complaint.tembusan]);
  for (const hop of complaint.hops) {
    touched.add(hop.from);
    touched.add(hop.to);
  }
  for (const nodeId of touched) if (tree.isWithinScope(nodeId, actor.nodeId)) return true;
  return false;
}

/**
 * The complaint when it exists and the staff member may read it; 404 alike for "absent" and "not yours".
 * `alongside`: streams followed in memory the command decides on as stored now, caught up in the same read.
 */
export async function loadReadable(
  context: WorkflowContext,
  complaintId: string,
  actor: StaffActor,
  alongside: readonly FollowedStream[] = [],
): Promise<LoadedComplaint & { readonly state: Complaint }> {
  const loaded = await context.repository.load(complaintId, alongside);
  if (!loaded.state.submitted || !canRead(context.directory.tree, actor, loaded.state)) {
    throw notFound(`No complaint ${complaintId} that you can see.`);
  }
  return loaded as LoadedComplaint & { readonly state: Complaint };
}
