import { newResetCode, resetCodeExpiry, resetCodeHash, type StaffAccountCommand, type StaffAccounts } from '@lapor/accounts';
import type { StaffActor } from '@lapor/http-kit';
import type { OrganisationTree } from '@lapor/domain';
import { randomUUID } from 'node:crypto';
import { nodeFactsOf } from '../../accounts/node-facts';
import type { PlannedLiaison } from './plan';

/** What the onboarding's answer hands its uploader for one new liaison: the code, this once. */
export interface LiaisonCode {
  readonly email: string;
  readonly resetCode: string;
  readonly resetCodeExpiresAt: string;
}

/**
 * Creates the liaison accounts an onboarding asks for, each signed in with the e-mail as its
 * username, by the same command and rules as an administrator's POST /staff-accounts without a
 * password: the account has no password, and a one-time reset code, stored only as its hash, lets
 * its holder set their own (POST /auth/password-reset). The codes go back to the uploader in the
 * answer, once; they are never logged. All the accounts in one append: a refusal leaves none, so a
 * second upload creates them all and hands out every code, rather than some accounts without one.
 */
export async function createLiaisonAccounts(input: {
  readonly accounts: StaffAccounts;
  readonly liaisons: readonly PlannedLiaison[];
  readonly tree: OrganisationTree;
  readonly actor: StaffActor;
  readonly now: string;
}): Promise<LiaisonCode[]> {
  const { accounts, tree, actor, now } = input;
  const nodes = nodeFactsOf(tree);
  const expiresAt = resetCodeExpiry(now);
  const codes: LiaisonCode[] = [];
  const commands: StaffAccountCommand[] = [];
  for (const liaison of input.liaisons) {
    if (liaison.status !== 'baru') continue;
    const code = newResetCode();
    codes.push({ email: liaison.email, resetCode: code, resetCodeExpiresAt: expiresAt });
    commands.push({
      type: 'CreateStaffAccount',
      data: {
        accountId: randomUUID(),
        username: liaison.email,
        role: 'liaison',
        nodeId: liaison.unitId,
        password: null,
        resetCode: { hash: resetCodeHash(code), expiresAt },
        additionalAdmin: false,
      },
      metadata: { now, actor, nodes },
    });
  }
  if (commands.length > 0) await accounts.executeTogether(commands);
  return codes;
}
