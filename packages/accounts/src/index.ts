// @lapor/accounts: who may act — staff accounts (scrypt-hashed passwords), integrating systems' API
// keys (stored hashed, scoped to an instansi and channels) — and what account holders did that the
// reports show (sign-ins, inbox visits). All are streams in the event store.
export { STAFF_ROLES, type StaffRole } from './roles';
export { ACCOUNT_CHANGES_REACH_EVERY_PROCESS_WITHIN_MS, StaffAccounts, STAFF_ACCOUNTS_STREAM, type NewStaffAccount, type StaffAccount } from './staff-accounts';
export { ApiKeys, API_KEYS_STREAM, KEY_CHANGES_REACH_EVERY_PROCESS_WITHIN_MS, type ApiKey } from './api-keys';
export { accountNames, INBOX_OPENED, lastSignIns, recordSignIn, staffActivityStream, STAFF_SIGNED_IN, unitActivityStream } from './activity';
