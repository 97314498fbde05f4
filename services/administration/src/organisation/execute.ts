import type { OrganisationCommand } from '@lapor/domain';
import { commandIdOf, ifMatchVersion, setVersion, type StaffActor, type WorkflowContext } from '@lapor/http-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OrganisationChangeAccepted } from '../schemas';

export type CommandWithoutMetadata = OrganisationCommand extends infer C ? (C extends OrganisationCommand ? Omit<C, 'metadata'> : never) : never;

/**
 * Runs administrators' organisation commands as one change: stamped with the actor and the clock,
 * appended with the tree's version (If-Match, or the version they were decided on), the new version
 * set as the ETag.
 */
export async function runOrganisationCommands(
  context: WorkflowContext,
  request: FastifyRequest,
  reply: FastifyReply,
  actor: StaffActor,
  commands: readonly CommandWithoutMetadata[],
  status: 200 | 201,
): Promise<{ version: bigint }> {
  const expected = ifMatchVersion(request);
  const outcome = await context.directory.executeAll(
    commands.map((command) => ({ ...command, metadata: { now: context.now(), actor } }) as OrganisationCommand),
    {
      commandId: commandIdOf(request, context.newId),
      correlationId: request.id,
      ...(expected !== undefined ? { expectedVersion: expected } : {}),
    },
  );
  setVersion(reply, outcome.version);
  void reply.code(status);
  return { version: outcome.version };
}

/** Where a node is acted on (PATCH, deactivation, onboarding): the Location of a node made. */
export const nodeLocation = (nodeId: string): string => `/organisation/nodes/${encodeURIComponent(nodeId)}`;

/** The answer to one node's change. */
export async function runOrganisationCommand(
  context: WorkflowContext,
  request: FastifyRequest,
  reply: FastifyReply,
  actor: StaffActor,
  command: CommandWithoutMetadata,
  status: 200 | 201,
): Promise<OrganisationChangeAccepted> {
  const { version } = await runOrganisationCommands(context, request, reply, actor, [command], status);
  const nodeId = command.type === 'MergeUnits' ? command.data.successorId : command.data.nodeId;
  if (status === 201) void reply.header('location', nodeLocation(nodeId));
  return { nodeId, version: version.toString() };
}
