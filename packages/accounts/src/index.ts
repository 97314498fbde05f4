// @lapor/accounts: who may act — staff accounts (a decider over one stream; argon2id passwords),
// integrating systems' API keys (stored hashed, scoped to an instansi and channels) — and what
// account holders did that the reports show (sign-ins, inbox visits). All are streams in the event store.
export { STAFF_ROLES, type StaffRole } from './roles';
export { StaffAccounts, STAFF_ACCOUNTS_STREAM, type NewStaffAccount, type SessionClaims, type StaffAccount } from './staff-accounts';
export { staffAccountsDecider } from './staff/decider';
export type { NodeFacts, NodeLookup, StaffAccountCommand } from './staff/commands';
export { ADMINISTRATIVE_ACCOUNT_EVENTS, parseStaffAccountEvent, type AccountActor, type StaffAccountEvent } from './staff/events';
export { AccountRuleError } from './staff/errors';
export { ARGON2ID_COST, hashPassword, legacyScryptHash, passwordMatches, type Argon2Cost } from './staff/passwords';
export { MIN_PASSWORD_LENGTH, passwordProblems } from './staff/password-policy';
export { staffSessionsStream, STAFF_SESSIONS_ENDED } from './staff/ended-sessions';
export { newResetCode, resetCodeExpiry, resetCodeHash, RESET_CODE_LIFETIME_HOURS } from './staff/reset-codes';
export { ApiKeys, API_KEYS_STREAM, KEY_CHANGES_REACH_EVERY_PROCESS_WITHIN_MS, type ApiKey } from './api-keys';
export { accountNames, INBOX_OPENED, lastSignIns, recordSignIn, staffActivityStream, STAFF_SIGNED_IN, unitActivityStream } from './activity';
