import type { OrganisationTree } from '@lapor/domain';

export type InboxRelation = 'holder' | 'tembusan' | 'below';

/**
 * Every node whose inbox lists the complaint, and why: the holder; a node it was copied to; a node
 * above any node that has held it. The strongest reason wins (holder, then tembusan, then below),
 * as the inbox has always said it.
 */
export function visibilityOf(
  complaint: { readonly holderId: string; readonly tembusan: readonly string[]; readonly handledBy: readonly string[] },
  tree: OrganisationTree,
): Map<string, InboxRelation> {
  const seen = new Map<string, InboxRelation>();
  for (const handler of complaint.handledBy) {
    if (!tree.has(handler)) continue;
    for (const ancestor of tree.ancestorsOf(handler)) seen.set(ancestor.id, 'below');
  }
  for (const copied of complaint.tembusan) seen.set(copied, 'tembusan');
  seen.set(complaint.holderId, 'holder');
  return seen;
}
