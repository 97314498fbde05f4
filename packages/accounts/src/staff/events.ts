import { z } from 'zod';
import { STAFF_ROLES, type StaffRole } from '../roles';

// The staff accounts' events, as stored in the 'staff-accounts' stream. Every administrative event
// names who did it and when (`by`, `at`) and the account's node at that moment (`nodeId`), so the
// audit trail and a scope check read one event alone. StaffAccountCreated and
// StaffAccountDeactivated were written before these fields existed: they parse with defaults.

const Role = z.custom<StaffRole>((role) => STAFF_ROLES.includes(role as StaffRole));
/** Who did it: a staff account, or the first start (seeds) as 'first-start'. */
const By = z.object({ id: z.string(), role: Role, nodeId: z.string() });
export type AccountActor = z.infer<typeof By>;
// `.catch(null)`: the first events had no actor, or only an id
const stamp = { by: By.nullable().catch(null), at: z.string().nullable().catch(null) };

export const StaffAccountCreated = z.object({
  accountId: z.string(),
  username: z.string(),
  role: Role,
  nodeId: z.string(),
  /** argon2id$… or scrypt$…; null: none yet (the holder sets one with a reset code). */
  passwordHash: z.string().nullable(),
  /** Set by an administrator: the first sign-in may only change it. */
  mustChangePassword: z.boolean().default(false),
  ...stamp,
});
export const StaffAccountRoleChanged = z.object({ accountId: z.string(), nodeId: z.string(), role: Role, previousRole: Role, ...stamp });
export const StaffAccountMoved = z.object({ accountId: z.string(), nodeId: z.string(), previousNodeId: z.string(), role: Role, ...stamp });
export const StaffAccountDeactivated = z.object({ accountId: z.string(), nodeId: z.string().nullable().catch(null), ...stamp });
export const StaffAccountReactivated = z.object({ accountId: z.string(), nodeId: z.string(), ...stamp });
export const StaffPasswordResetIssued = z.object({
  accountId: z.string(),
  nodeId: z.string(),
  /** SHA-256 of the code (it is long and random: see reset-codes.ts); the code itself is never stored. */
  codeHash: z.string(),
  expiresAt: z.string(),
  ...stamp,
});
export const StaffPasswordChanged = z.object({
  accountId: z.string(),
  nodeId: z.string(),
  passwordHash: z.string(),
  /** self: with the current password; reset-code: with an administrator's one-time code; rehash: the same password, stronger hash at sign-in. */
  via: z.enum(['self', 'reset-code', 'rehash']),
  ...stamp,
});
/**
 * A sign-out as versions before the per-account session streams wrote it into the account stream
 * (ended-sessions.ts says why no longer): still read, so a session ended then stays ended.
 */
export const StaffSignedOut = z.object({
  accountId: z.string(),
  sessionId: z.string(),
  /** When the session's token would have expired anyway: kept until then, forgotten after. */
  until: z.string(),
  at: z.string(),
});

export type StaffAccountEvent =
  | { type: 'StaffAccountCreated'; data: z.infer<typeof StaffAccountCreated> }
  | { type: 'StaffAccountRoleChanged'; data: z.infer<typeof StaffAccountRoleChanged> }
  | { type: 'StaffAccountMoved'; data: z.infer<typeof StaffAccountMoved> }
  | { type: 'StaffAccountDeactivated'; data: z.infer<typeof StaffAccountDeactivated> }
  | { type: 'StaffAccountReactivated'; data: z.infer<typeof StaffAccountReactivated> }
  | { type: 'StaffPasswordResetIssued'; data: z.infer<typeof StaffPasswordResetIssued> }
  | { type: 'StaffPasswordChanged'; data: z.infer<typeof StaffPasswordChanged> }
  | { type: 'StaffSignedOut'; data: z.infer<typeof StaffSignedOut> };

const PARSERS = {
  StaffAccountCreated,
  StaffAccountRoleChanged,
  StaffAccountMoved,
  StaffAccountDeactivated,
  StaffAccountReactivated,
  StaffPasswordResetIssued,
  StaffPasswordChanged,
  StaffSignedOut,
} as const;

/** A stored account event, parsed; undefined for a type this version does not know (skipped, as a newer writer's). */
export function parseStaffAccountEvent(type: string, data: unknown): StaffAccountEvent | undefined {
  const parser = PARSERS[type as keyof typeof PARSERS];
  return parser ? ({ type, data: parser.parse(data) } as StaffAccountEvent) : undefined;
}

/** The events an administrator's decision writes (sign-outs and rehashes are not administration). */
export const ADMINISTRATIVE_ACCOUNT_EVENTS: ReadonlySet<StaffAccountEvent['type']> = new Set([
  'StaffAccountCreated',
  'StaffAccountRoleChanged',
  'StaffAccountMoved',
  'StaffAccountDeactivated',
  'StaffAccountReactivated',
  'StaffPasswordResetIssued',
]);
