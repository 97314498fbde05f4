// Why the account rules refuse a command: a stable code (the problem type's last segment) and the
// HTTP status class it answers with.

const rule = (status: 403 | 404 | 409 | 422, description: string) => ({ status, description });

export const ACCOUNT_RULES = {
  ROLE_NOT_ALLOWED: rule(403, 'Only administrators manage staff accounts.'),
  OUT_OF_SCOPE: rule(403, 'This is outside your part of the organisation.'),
  ROLE_NOT_GRANTABLE: rule(403, 'An instansi admin cannot grant Admin Nasional.'),
  ACCOUNT_NOT_FOUND: rule(404, 'No staff account with this id that you can see.'),
  NODE_NOT_FOUND: rule(404, 'No node with this id that you can see.'),
  USERNAME_TAKEN: rule(409, 'This username is taken.'),
  ACCOUNT_INACTIVE: rule(409, 'The account is deactivated.'),
  ACCOUNT_ACTIVE: rule(409, 'The account is active already.'),
  NO_CHANGE: rule(409, 'The account is like that already.'),
  INSTANSI_HAS_ADMIN: rule(
    409,
    'The instansi has an active admin already: transfer the role (POST /staff-accounts/instansi-admin-transfer), or say additionalAdmin: true.',
  ),
  LAST_INSTANSI_ADMIN: rule(409, 'This is the instansi’s only active admin: transfer the role first (POST /staff-accounts/instansi-admin-transfer).'),
  NODE_INACTIVE: rule(422, 'The node is deactivated.'),
  ROLE_DOES_NOT_FIT_NODE: rule(422, 'This role does not sit at this kind of node.'),
  NOT_OWN_ACCOUNT: rule(403, 'Only the account’s holder changes its password.'),
  RESET_CODE_INVALID: rule(422, 'The reset code is wrong, used or expired.'),
  SUCCESSOR_INVALID: rule(422, 'The successor must be another active account.'),
} as const;

export type AccountRuleCode = keyof typeof ACCOUNT_RULES;

export class AccountRuleError extends Error {
  readonly status: 403 | 404 | 409 | 422;

  constructor(
    readonly code: AccountRuleCode,
    detail?: string,
  ) {
    super(detail ? `${ACCOUNT_RULES[code].description} ${detail}` : ACCOUNT_RULES[code].description);
    this.name = 'AccountRuleError';
    this.status = ACCOUNT_RULES[code].status;
  }
}

export function ensureAccount(condition: boolean, code: AccountRuleCode, detail?: string): asserts condition {
  if (!condition) throw new AccountRuleError(code, detail);
}
