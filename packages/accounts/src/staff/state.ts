import type { StaffRole } from '../roles';
import type { StaffAccountEvent } from './events';

export interface StaffAccountState {
  readonly accountId: string;
  readonly username: string;
  role: StaffRole;
  nodeId: string;
  active: boolean;
  passwordHash: string | null;
  mustChangePassword: boolean;
  resetCode: { readonly hash: string; readonly expiresAt: string } | null;
  /**
   * Tokens carry the generation they were issued at; every change that should end the account's
   * sessions (deactivation, a new password, a reset, a new role or node) moves it on.
   */
  generation: number;
  /** Sessions signed out by the account stream's old StaffSignedOut events, until their tokens would have expired anyway (new sign-outs: ended-sessions.ts). */
  readonly endedSessions: Map<string, string>;
}

export interface StaffAccountsState {
  readonly accounts: Map<string, StaffAccountState>;
  readonly idByUsername: Map<string, string>;
}

export const initialStaffAccountsState = (): StaffAccountsState => ({ accounts: new Map(), idByUsername: new Map() });

/**
 * Folds one event in. In place, on purpose: every process folds the whole account stream at start
 * and then each new event, and a copy of every account per event would make that quadratic.
 * `decide` never changes the state it is given.
 */
export function evolveStaffAccounts(state: StaffAccountsState, event: StaffAccountEvent): StaffAccountsState {
  if (event.type === 'StaffAccountCreated') {
    const { accountId, username, role, nodeId, passwordHash, mustChangePassword } = event.data;
    state.accounts.set(accountId, {
      accountId,
      username,
      role,
      nodeId,
      active: true,
      passwordHash,
      mustChangePassword,
      resetCode: null,
      generation: 0,
      endedSessions: new Map(),
    });
    state.idByUsername.set(username, accountId);
    return state;
  }
  const account = state.accounts.get(event.data.accountId);
  if (!account) return state;
  switch (event.type) {
    case 'StaffAccountRoleChanged':
      account.role = event.data.role;
      account.generation += 1;
      break;
    case 'StaffAccountMoved':
      account.nodeId = event.data.nodeId;
      account.generation += 1;
      break;
    case 'StaffAccountDeactivated':
      account.active = false;
      account.generation += 1;
      break;
    case 'StaffAccountReactivated':
      account.active = true;
      account.generation += 1;
      break;
    case 'StaffPasswordResetIssued':
      // a reset is for a password forgotten or known to someone else: the old one stops working
      account.passwordHash = null;
      account.resetCode = { hash: event.data.codeHash, expiresAt: event.data.expiresAt };
      account.generation += 1;
      break;
    case 'StaffPasswordChanged':
      account.passwordHash = event.data.passwordHash;
      if (event.data.via !== 'rehash') {
        account.mustChangePassword = false;
        account.resetCode = null;
        account.generation += 1;
      }
      break;
    case 'StaffSignedOut': {
      const { sessionId, until, at } = event.data;
      for (const [ended, expires] of account.endedSessions) if (Date.parse(expires) < Date.parse(at)) account.endedSessions.delete(ended);
      account.endedSessions.set(sessionId, until);
      break;
    }
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
  return state;
}
