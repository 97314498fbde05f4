import type { StaffRole } from '../roles';
import type {
  AccountCommandMetadata,
  ChangeStaffRole,
  CreateStaffAccount,
  HandOverStaffAccount,
  NodeFacts,
  StaffAccountCommand,
  TransferInstansiAdmin,
} from './commands';
import { AccountRuleError, ensureAccount } from './errors';
import type { AccountActor, StaffAccountEvent } from './events';
import type { StaffAccountState, StaffAccountsState } from './state';

// The staff accounts' rules. Who may: Admin Nasional anywhere; an instansi admin for accounts and
// nodes at or below its own node, never granting Admin Nasional; liaisons administer nobody. An
// account outside the actor's part of the tree is answered as if it did not exist (404); a node
// outside it likewise, except nasional and the instansi, which are public (403).
//
// One active instansi admin per instansi, "never none and never two by accident": creating or
// promoting a second needs `additionalAdmin: true`; demoting, moving or deactivating the last one is
// refused; the role moves with TransferInstansiAdmin, which changes both accounts in one append.

/** Where each role sits: an admin at its level of the tree (its scope is what is below), a liaison at an instansi, unit or sub-unit. */
const ROLE_SITS_AT: Record<StaffRole, ReadonlyArray<NodeFacts['kind']>> = {
  admin_nasional: ['nasional'],
  admin_instansi: ['instansi'],
  liaison: ['instansi', 'unit', 'subunit'],
};

export function decideStaffAccounts(command: StaffAccountCommand, state: StaffAccountsState): StaffAccountEvent[] {
  const rules = new Rules(state, command.metadata);
  const { by, at } = rules;
  switch (command.type) {
    case 'CreateStaffAccount':
      return create(command, rules);
    case 'ChangeStaffRole':
      return changeRole(command, rules);
    case 'MoveStaffAccount': {
      const account = rules.administered(command.data.accountId);
      ensureAccount(account.nodeId !== command.data.nodeId, 'NO_CHANGE');
      rules.placeable(account.role, command.data.nodeId);
      rules.keepsAnAdmin(account);
      return [moved(account, command.data.nodeId, by, at)];
    }
    case 'DeactivateStaffAccount': {
      const account = rules.administered(command.data.accountId);
      ensureAccount(account.active, 'ACCOUNT_INACTIVE');
      rules.keepsAnAdmin(account);
      return [{ type: 'StaffAccountDeactivated', data: { accountId: account.accountId, nodeId: account.nodeId, by, at } }];
    }
    case 'ReactivateStaffAccount': {
      const account = rules.administered(command.data.accountId, { inactiveToo: true });
      ensureAccount(!account.active, 'ACCOUNT_ACTIVE');
      rules.placeable(account.role, account.nodeId);
      if (account.role === 'admin_instansi') rules.noOtherAdmin(account.nodeId, false);
      return [{ type: 'StaffAccountReactivated', data: { accountId: account.accountId, nodeId: account.nodeId, by, at } }];
    }
    case 'IssuePasswordReset': {
      const account = rules.administered(command.data.accountId);
      ensureAccount(account.active, 'ACCOUNT_INACTIVE');
      const { codeHash, expiresAt } = command.data;
      return [{ type: 'StaffPasswordResetIssued', data: { accountId: account.accountId, nodeId: account.nodeId, codeHash, expiresAt, by, at } }];
    }
    case 'HandOverStaffAccount':
      return handOver(command, rules);
    case 'TransferInstansiAdmin':
      return transferAdmin(command, rules);
    case 'ChangeOwnPassword':
      return [passwordChanged(rules.own(command.data.accountId), command.data.passwordHash, 'self', by, at)];
    case 'RedeemPasswordReset': {
      const account = rules.own(command.data.accountId);
      const code = account.resetCode;
      ensureAccount(code !== null && code.hash === command.data.codeHash && Date.parse(code.expiresAt) > Date.parse(at), 'RESET_CODE_INVALID');
      return [passwordChanged(account, command.data.passwordHash, 'reset-code', by, at)];
    }
    case 'RehashPassword':
      return [passwordChanged(rules.own(command.data.accountId), command.data.passwordHash, 'rehash', by, at)];
    default: {
      const unhandled: never = command;
      return unhandled;
    }
  }
}

function create(command: CreateStaffAccount, rules: Rules): StaffAccountEvent[] {
  rules.administrator();
  const { accountId, username, role, nodeId, password, resetCode, additionalAdmin } = command.data;
  rules.grantable(role);
  rules.placeable(role, nodeId);
  ensureAccount(!rules.state.idByUsername.has(username), 'USERNAME_TAKEN', username);
  if (role === 'admin_instansi') rules.noOtherAdmin(nodeId, additionalAdmin);
  const { by, at } = rules;
  const created: StaffAccountEvent = {
    type: 'StaffAccountCreated',
    data: { accountId, username, role, nodeId, passwordHash: password?.hash ?? null, mustChangePassword: password?.temporary ?? false, by, at },
  };
  if (!resetCode) return [created];
  return [created, { type: 'StaffPasswordResetIssued', data: { accountId, nodeId, codeHash: resetCode.hash, expiresAt: resetCode.expiresAt, by, at } }];
}

function changeRole(command: ChangeStaffRole, rules: Rules): StaffAccountEvent[] {
  const account = rules.administered(command.data.accountId);
  const { role, additionalAdmin } = command.data;
  ensureAccount(account.role !== role, 'NO_CHANGE');
  rules.grantable(role);
  rules.placeable(role, account.nodeId);
  rules.keepsAnAdmin(account);
  if (role === 'admin_instansi') rules.noOtherAdmin(account.nodeId, additionalAdmin);
  return [roleChanged(account, role, rules.by, rules.at)];
}

function handOver(command: HandOverStaffAccount, rules: Rules): StaffAccountEvent[] {
  const { accountId, nodeId, successorAccountId } = command.data;
  const leaving = rules.administered(accountId);
  ensureAccount(leaving.active, 'ACCOUNT_INACTIVE');
  ensureAccount(leaving.nodeId !== nodeId, 'NO_CHANGE');
  rules.placeable(leaving.role, nodeId);
  const successor = rules.administered(successorAccountId);
  ensureAccount(successor.accountId !== leaving.accountId && successor.active, 'SUCCESSOR_INVALID');
  rules.grantable(leaving.role);
  rules.placeable(leaving.role, leaving.nodeId);
  const { by, at } = rules;
  const events: StaffAccountEvent[] = [moved(leaving, nodeId, by, at)];
  if (successor.nodeId !== leaving.nodeId) events.push(moved(successor, leaving.nodeId, by, at));
  if (successor.role !== leaving.role) events.push(roleChanged({ ...successor, nodeId: leaving.nodeId }, leaving.role, by, at));
  return events;
}

function transferAdmin(command: TransferInstansiAdmin, rules: Rules): StaffAccountEvent[] {
  const { instansiId, fromAccountId, toAccountId, previousAdminNodeId } = command.data;
  const from = rules.administered(fromAccountId);
  ensureAccount(
    from.active && from.role === 'admin_instansi' && from.nodeId === instansiId,
    'SUCCESSOR_INVALID',
    `${fromAccountId} is not an active admin of ${instansiId}`,
  );
  const to = rules.administered(toAccountId);
  ensureAccount(to.accountId !== from.accountId && to.active && to.role !== 'admin_nasional', 'SUCCESSOR_INVALID', toAccountId);
  ensureAccount(rules.nodes.facts(to.nodeId)?.path.includes(instansiId) ?? false, 'SUCCESSOR_INVALID', `${toAccountId} does not work in ${instansiId}`);
  const { by, at } = rules;
  const events: StaffAccountEvent[] = [];
  if (previousAdminNodeId === null) events.push({ type: 'StaffAccountDeactivated', data: { accountId: from.accountId, nodeId: from.nodeId, by, at } });
  else {
    rules.placeable('liaison', previousAdminNodeId);
    events.push(moved(from, previousAdminNodeId, by, at), roleChanged({ ...from, nodeId: previousAdminNodeId }, 'liaison', by, at));
  }
  if (to.nodeId !== instansiId) events.push(moved(to, instansiId, by, at));
  if (to.role !== 'admin_instansi') events.push(roleChanged({ ...to, nodeId: instansiId }, 'admin_instansi', by, at));
  return events;
}

const passwordChanged = (
  account: StaffAccountState,
  passwordHash: string,
  via: 'self' | 'reset-code' | 'rehash',
  by: AccountActor,
  at: string,
): StaffAccountEvent => ({
  type: 'StaffPasswordChanged',
  data: { accountId: account.accountId, nodeId: account.nodeId, passwordHash, via, by, at },
});

const moved = (account: StaffAccountState, nodeId: string, by: AccountActor, at: string): StaffAccountEvent => ({
  type: 'StaffAccountMoved',
  data: { accountId: account.accountId, nodeId, previousNodeId: account.nodeId, role: account.role, by, at },
});

const roleChanged = (account: Pick<StaffAccountState, 'accountId' | 'nodeId' | 'role'>, role: StaffRole, by: AccountActor, at: string): StaffAccountEvent => ({
  type: 'StaffAccountRoleChanged',
  data: { accountId: account.accountId, nodeId: account.nodeId, role, previousRole: account.role, by, at },
});

/** The accounts and the tree as one actor may see and change them. */
class Rules {
  readonly by: AccountActor;
  readonly at: string;
  readonly nodes: AccountCommandMetadata['nodes'];

  constructor(
    readonly state: StaffAccountsState,
    metadata: AccountCommandMetadata,
  ) {
    this.by = metadata.actor;
    this.at = metadata.now;
    this.nodes = metadata.nodes;
  }

  administrator(): void {
    ensureAccount(this.by.role === 'admin_nasional' || this.by.role === 'admin_instansi', 'ROLE_NOT_ALLOWED');
  }

  /** An account the actor administers: at or below the actor's node. */
  administered(accountId: string, options: { inactiveToo?: boolean } = {}): StaffAccountState {
    this.administrator();
    const account = this.state.accounts.get(accountId);
    if (!account || !this.inScope(account.nodeId)) throw new AccountRuleError('ACCOUNT_NOT_FOUND', accountId);
    if (!options.inactiveToo) ensureAccount(account.active, 'ACCOUNT_INACTIVE', accountId);
    return account;
  }

  /** The actor's own account. */
  own(accountId: string, options: { inactiveToo?: boolean } = {}): StaffAccountState {
    ensureAccount(this.by.id === accountId, 'NOT_OWN_ACCOUNT');
    const account = this.state.accounts.get(accountId);
    if (!account) throw new AccountRuleError('ACCOUNT_NOT_FOUND', accountId);
    if (!options.inactiveToo) ensureAccount(account.active, 'ACCOUNT_INACTIVE');
    return account;
  }

  grantable(role: StaffRole): void {
    ensureAccount(role !== 'admin_nasional' || this.by.role === 'admin_nasional', 'ROLE_NOT_GRANTABLE');
  }

  /** The role may sit at this node, and the node is the actor's to staff. */
  placeable(role: StaffRole, nodeId: string): void {
    const facts = this.nodes.facts(nodeId);
    if (!facts) throw new AccountRuleError('NODE_NOT_FOUND', nodeId);
    if (!this.inScope(nodeId)) {
      if (facts.kind === 'nasional' || facts.kind === 'instansi') throw new AccountRuleError('OUT_OF_SCOPE', nodeId);
      throw new AccountRuleError('NODE_NOT_FOUND', nodeId);
    }
    ensureAccount(facts.active, 'NODE_INACTIVE', nodeId);
    ensureAccount(ROLE_SITS_AT[role].includes(facts.kind), 'ROLE_DOES_NOT_FIT_NODE', `${role} at a ${facts.kind}`);
  }

  /** Refused when the account is its instansi's last active admin. */
  keepsAnAdmin(account: StaffAccountState): void {
    if (account.role !== 'admin_instansi' || !account.active) return;
    ensureAccount(this.activeAdminsOf(account.nodeId).length > 1, 'LAST_INSTANSI_ADMIN', account.nodeId);
  }

  noOtherAdmin(instansiId: string, additionalAdmin: boolean): void {
    if (additionalAdmin) return;
    ensureAccount(this.activeAdminsOf(instansiId).length === 0, 'INSTANSI_HAS_ADMIN', instansiId);
  }

  private activeAdminsOf(instansiId: string): StaffAccountState[] {
    return [...this.state.accounts.values()].filter((account) => account.active && account.role === 'admin_instansi' && account.nodeId === instansiId);
  }

  private inScope(nodeId: string): boolean {
    return this.nodes.facts(nodeId)?.path.includes(this.by.nodeId) ?? false;
  }
}
