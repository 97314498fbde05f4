import { decideStaffAccounts } from './decide';
import { evolveStaffAccounts, initialStaffAccountsState } from './state';

/**
 * The staff accounts as a decider, over one stream for every account ('staff-accounts'): a username
 * is unique across the country, and the one-admin-per-instansi rule spans accounts, so both are
 * checked on one state and written with one expected version (a concurrent change is a 409 to
 * retry). Administrators change accounts a few times a day; the stream is small.
 */
export const staffAccountsDecider = { decide: decideStaffAccounts, evolve: evolveStaffAccounts, initialState: initialStaffAccountsState } as const;
