import type { AttachmentStore } from '@lapor/attachment-store';
import type { Actor, OrganisationTree } from '@lapor/domain';
import type { EventStore } from '@lapor/event-store';
import type { ComplaintRepository, OrganisationDirectory } from '@lapor/workflow';
import type { PersonalDataVault } from '@lapor/personal-data';
import type { ApiKeys, StaffAccounts } from '@lapor/accounts';

/** What every workflow service's routes work with; the gateway builds one and hands it to each plugin. */
export interface WorkflowContext {
  readonly store: EventStore;
  readonly repository: ComplaintRepository;
  readonly directory: OrganisationDirectory;
  /** Integrating systems' keys. */
  readonly apiKeys: ApiKeys;
  /** Staff accounts, followed so that a deactivated account's tokens are refused here too. */
  readonly staffAccounts: StaffAccounts;
  /** Reporter identities, sealed per complaint and erasable. */
  readonly vault: PersonalDataVault;
  /** Files attached to complaints, sealed with them. */
  readonly attachments: AttachmentStore;
  /** Now, as the commands carry it (injected so tests can move time). */
  readonly now: () => string;
  readonly newId: () => string;
}

export const commandMetadata = (context: WorkflowContext, actor: Actor) => ({ now: context.now(), actor });

/** A node reference for a command, as the decider needs it; 422 names the field when the node is unknown. */
export function nodeRefOrNull(tree: OrganisationTree, nodeId: string) {
  return tree.has(nodeId) ? tree.nodeRef(nodeId) : null;
}
