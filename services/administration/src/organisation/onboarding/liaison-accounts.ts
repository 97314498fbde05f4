import type { StaffAccounts } from '@lapor/accounts';
import { randomBytes } from 'node:crypto';
import type { PlannedLiaison } from './plan';

/**
 * Creates the liaison accounts an onboarding asks for, each signed in with the e-mail as its
 * username. The one place onboarding touches accounts, so the accounts' own administration (first
 * sign-in by a one-time code, forced password change) takes over here when it lands. Until then the
 * password is random and never leaves this function: nobody knows it, so the account is used only
 * after an administrator's reset. Answers how many were created.
 */
export async function createLiaisonAccounts(accounts: StaffAccounts, liaisons: readonly PlannedLiaison[]): Promise<number> {
  let created = 0;
  for (const liaison of liaisons) {
    if (liaison.status !== 'baru') continue;
    await accounts.create({ username: liaison.email, role: 'liaison', nodeId: liaison.unitId, password: randomBytes(24).toString('base64url') });
    created += 1;
  }
  return created;
}
