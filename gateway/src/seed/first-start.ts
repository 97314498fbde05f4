import type { NewStaffAccount } from '@lapor/accounts';
import type { Actor, InstansiKind, OrganisationCommand, OrganisationNode } from '@lapor/domain';
import { WrongExpectedVersionError } from '@lapor/event-store';
import type { OrganisationDirectory } from '@lapor/workflow';
import { demoAccounts } from './demo-accounts';
import { DEMO_ORGANISATION } from './demo-organisation';

/** The root of every organisation: where the first administrator sits. */
export const NATIONAL_ROOT: OrganisationNode = DEMO_ORGANISATION[0]!;

export interface FirstStartConfig {
  /** LAPOR_DEMO: the demo organisation and accounts, for trying the system out. */
  readonly demo: boolean;
  readonly demoPassword: string;
  /** LAPOR_FIRST_ADMIN_USERNAME / LAPOR_FIRST_ADMIN_PASSWORD: the operator's own first administrator. */
  readonly firstAdmin: { readonly username: string; readonly password: string } | undefined;
}

/** What a start registers on an empty store: only what the operator asked for, never a known password unasked. */
export interface FirstStartSeed {
  /** Registered as the first start's events: the national root, where the first administrator sits. */
  readonly organisation: readonly OrganisationNode[];
  /** Registered after it through the administration's commands (registerFirstOrganisation): the demo's instansi and units. */
  readonly demoOrganisation: readonly OrganisationNode[];
  readonly accounts: readonly NewStaffAccount[];
}

export function firstStartSeed(config: FirstStartConfig): FirstStartSeed {
  const firstAdmin: NewStaffAccount[] = config.firstAdmin
    ? [{ username: config.firstAdmin.username, role: 'admin_nasional', nodeId: NATIONAL_ROOT.id, password: config.firstAdmin.password }]
    : [];
  if (config.demo)
    return { organisation: [NATIONAL_ROOT], demoOrganisation: DEMO_ORGANISATION, accounts: [...demoAccounts(config.demoPassword), ...firstAdmin] };
  return { organisation: [NATIONAL_ROOT], demoOrganisation: [], accounts: firstAdmin };
}

/** What a start with no account and nothing to create says before it stops. */
export const NO_ADMINISTRATOR =
  'no staff account yet, and none to create: set LAPOR_FIRST_ADMIN_PASSWORD (at least 12 characters, your choice; ' +
  'LAPOR_FIRST_ADMIN_USERNAME defaults to "admin") for this first start, then remove it. ' +
  'To try the demo instead (known demo passwords: never on a real deployment), set LAPOR_DEMO=1 or run infra/start.sh.';

/**
 * When the demo organisation takes effect: before any of the seeds' data (2021–2024), so a recap of a
 * past period drawn in the structure of its time (the default) finds its units. The year the
 * national complaint system was set up (Perpres 76/2013).
 */
export const DEMO_ORGANISATION_SINCE = '2013-01-01T00:00:00.000+07:00';

/** Who registers the first start's organisation: the national administration, as the system starting it. */
const FIRST_START: Actor = { role: 'admin_nasional', id: 'first-start', nodeId: NATIONAL_ROOT.id };

/**
 * The organisation below the national root, registered through the same commands an administrator
 * sends (RegisterInstansi, AddUnit), parents before children, as one append. Only on a tree that holds
 * the root alone: a restart, or a second gateway starting at the same moment, changes nothing.
 * True when this start registered it.
 */
export async function registerFirstOrganisation(
  directory: OrganisationDirectory,
  nodes: readonly OrganisationNode[],
  instansiKindOf: (node: OrganisationNode) => InstansiKind,
  now: string,
): Promise<boolean> {
  const metadata = { now, actor: FIRST_START };
  const commands = nodes.flatMap((node): OrganisationCommand[] => {
    if (node.kind === 'nasional') return [];
    if (node.kind === 'instansi') {
      const { id, name, timeZone, parentId } = node;
      return [
        {
          type: 'RegisterInstansi',
          data: { nodeId: id, name, instansiKind: instansiKindOf(node), timeZone, parentId, effectiveAt: DEMO_ORGANISATION_SINCE },
          metadata,
        },
      ];
    }
    return [{ type: 'AddUnit', data: { nodeId: node.id, name: node.name, parentId: node.parentId, effectiveAt: DEMO_ORGANISATION_SINCE }, metadata }];
  });
  if (commands.length === 0) return false;
  try {
    // version 0: the root, and nothing after it
    await directory.executeAll(commands, { commandId: 'first-start-organisation', expectedVersion: 0n });
    return true;
  } catch (error) {
    if (error instanceof WrongExpectedVersionError) return false;
    throw error;
  }
}
