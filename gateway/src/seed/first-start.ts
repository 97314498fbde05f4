import type { NewStaffAccount } from '@lapor/accounts';
import type { OrganisationNode } from '@lapor/domain';
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
  readonly organisation: readonly OrganisationNode[];
  readonly accounts: readonly NewStaffAccount[];
}

export function firstStartSeed(config: FirstStartConfig): FirstStartSeed {
  const firstAdmin: NewStaffAccount[] = config.firstAdmin
    ? [{ username: config.firstAdmin.username, role: 'admin_nasional', nodeId: NATIONAL_ROOT.id, password: config.firstAdmin.password }]
    : [];
  if (config.demo) return { organisation: DEMO_ORGANISATION, accounts: [...demoAccounts(config.demoPassword), ...firstAdmin] };
  return { organisation: [NATIONAL_ROOT], accounts: firstAdmin };
}

/** What a start with no account and nothing to create says before it stops. */
export const NO_ADMINISTRATOR =
  'no staff account yet, and none to create: set LAPOR_FIRST_ADMIN_PASSWORD (at least 12 characters, your choice; ' +
  'LAPOR_FIRST_ADMIN_USERNAME defaults to "admin") for this first start, then remove it. ' +
  'To try the demo instead (known demo passwords: never on a real deployment), set LAPOR_DEMO=1 or run infra/start.sh.';
