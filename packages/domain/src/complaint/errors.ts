// Every refusal of decide has a stable code. Clients and the problem+json handler key on the
// code (never on the message), so a code is never renamed or reused for another rule.
// `kind` tells the edge how to answer: 404, 403, 422 or 409.

export type DomainErrorKind = 'not_found' | 'forbidden' | 'invalid' | 'conflict';

const rule = (kind: DomainErrorKind, description: string) => ({ kind, description });

export const DOMAIN_ERRORS = {
  // -- any command
  COMPLAINT_NOT_FOUND: rule('not_found', 'No complaint has been submitted under this id.'),
  COMPLAINT_MISMATCH: rule('invalid', 'The command names another complaint than the one loaded.'),
  COMPLAINT_CLOSED: rule('conflict', 'The complaint is archived or completed and takes no further workflow commands.'),
  COMPLAINT_POSTPONED: rule('conflict', 'The complaint waits for data from the reporter (Tunda).'),
  ROLE_NOT_ALLOWED: rule('forbidden', 'This role may not do this.'),
  NOT_HOLDER: rule('forbidden', 'Only the node that currently holds the complaint may do this.'),
  OUTSIDE_SCOPE: rule('forbidden', 'The actor acts outside its part of the organisation.'),
  // -- submission
  ALREADY_SUBMITTED: rule('conflict', 'A complaint with this id already exists.'),
  CHANNEL_NOT_ALLOWED: rule('forbidden', 'This role cannot bring a complaint in on this channel.'),
  INVALID_ADDRESSEE: rule('invalid', 'A complaint is addressed to nasional or to an instansi.'),
  INVALID_TRACKING_ID: rule('invalid', 'The tracking id is not LAP- followed by 10 characters of the tracking alphabet.'),
  WBS_MUST_BE_CONFIDENTIAL: rule('invalid', 'A whistle-blowing report is always confidential.'),
  // -- verification, Tunda, archive, aspiration
  ALREADY_VERIFIED: rule('conflict', 'The complaint has already been verified.'),
  CANNOT_LOWER_PROTECTION: rule('invalid', 'Verification cannot lift anonymity or confidentiality the reporter asked for.'),
  ALREADY_POSTPONED: rule('conflict', 'Missing data has already been requested and not yet supplied.'),
  NOT_POSTPONED: rule('conflict', 'The complaint is not waiting for data from the reporter.'),
  STALE_REQUEST: rule('conflict', 'The missing-data request named is not the one open.'),
  ALREADY_WITH_UNIT: rule('conflict', 'The complaint is already with a unit; the unit returns it if it is not its authority.'),
  NOTE_REQUIRED: rule('invalid', 'Archiving for another reason needs a note saying why.'),
  NOT_AN_ASPIRATION: rule('invalid', 'Only an aspiration can be answered directly.'),
  // -- disposition and Bukan Wewenang
  NOT_VERIFIED: rule('conflict', 'The complaint must be verified before it is disposed.'),
  NOT_DIRECTLY_BELOW: rule('invalid', 'A complaint is disposed only to a node directly below its holder.'),
  INVALID_TEMBUSAN: rule('invalid', 'Copies go to other bodies, each once, not to the holder or the target.'),
  AT_TOP_LEVEL: rule('conflict', 'Nasional has no level above it to return the complaint to.'),
  NOT_PARENT: rule('invalid', 'Bukan Wewenang returns the complaint to the node directly above its holder.'),
  REASON_REQUIRED: rule('invalid', 'Bukan Wewenang needs a reason.'),
  INVALID_SUCCESSOR: rule('invalid', 'A restructured unit’s complaints go to another unit or sub-unit.'),
  // -- follow-up and completion
  NOT_DISPOSED: rule('conflict', 'The complaint is not with a unit yet.'),
  NOT_ASSIGNED_UNIT: rule('forbidden', 'Only the liaison of the unit the complaint was disposed to may follow it up.'),
  DUPLICATE_FOLLOW_UP: rule('conflict', 'A follow-up with this id was already posted.'),
  NO_FOLLOW_UP: rule('conflict', 'The unit holding the complaint has not posted a follow-up yet.'),
  REPLY_PENDING: rule('conflict', 'The reporter replied after the last follow-up; the unit answers first.'),
  STALE_FOLLOW_UP: rule('conflict', 'Another follow-up came after the one named; its quiet period has not run out.'),
  NOT_REPORTER: rule('forbidden', 'Only the reporter of this complaint may do this.'),
  ENTERED_VIA_REQUIRED: rule('invalid', 'An admin entering the reporter’s words names the channel they came by (enteredVia).'),
  ENTERED_VIA_ONLY_FOR_STAFF: rule('invalid', 'A reporter acting themselves names no channel (enteredVia is for admins entering for them).'),
  REPORTER_CAN_ACT: rule(
    'forbidden',
    'The reporter of this complaint can act themselves (it has a reporter reference); an admin rates only for a reporter who came on paper, in person or by phone.',
  ),
  // -- rating
  NOT_COMPLETED: rule('conflict', 'Handling is rated once the complaint is completed (Selesai).'),
  ALREADY_RATED: rule('conflict', 'The handling has already been rated.'),
  INVALID_RATING: rule('invalid', 'A rating is a whole number from 1 to 5.'),
  // -- SLA records
  STALE_SLA_TIMER: rule('conflict', 'The timer belongs to a clock that no longer runs (the complaint moved on).'),
  STAGE_ALREADY_MET: rule('conflict', 'The stage was done in time.'),
  NOT_YET_DUE: rule('conflict', 'The deadline has not passed yet.'),
  PAST_DUE: rule('conflict', 'A reminder after the deadline reminds nobody; record the breach.'),
  INVALID_LATENESS: rule('invalid', 'A breach is late by a whole number of working days, at least 1.'),
  ALREADY_RECORDED: rule('conflict', 'This reminder or breach has already been recorded.'),
  // -- the organisation tree (administration): ROLE_NOT_ALLOWED and OUTSIDE_SCOPE above apply too
  NODE_NOT_FOUND: rule('not_found', 'No organisation node has this id (or the caller may not learn of it).'),
  NODE_ID_TAKEN: rule('conflict', 'A node with this id already exists.'),
  NAME_TAKEN: rule('conflict', 'Another active node under the same parent has this name.'),
  WRONG_PARENT_KIND: rule('invalid', 'An instansi sits under nasional, a unit under an instansi, a sub-unit under a unit or sub-unit.'),
  NODE_INACTIVE: rule('conflict', 'The node has been deactivated.'),
  INVALID_MOVE: rule('invalid', 'Only a unit or sub-unit moves, within its own instansi, and never below itself.'),
  HAS_ACTIVE_CHILDREN: rule('conflict', 'The node still has active units below it; deactivate or move them first.'),
  ROOT_IS_FIXED: rule('invalid', 'The national level is not renamed, moved or deactivated.'),
  NO_CHANGE: rule('invalid', 'The node already has this name or parent.'),
  HOLDS_OPEN_COMPLAINTS: rule('conflict', 'The unit still holds open complaints: merge it into a successor, which inherits them, or move them first.'),
  INVALID_RESTRUCTURING: rule(
    'invalid',
    'A merge joins units of one instansi into a successor outside them; a split names at least two new units and which one inherits.',
  ),
  EFFECTIVE_IN_FUTURE: rule('invalid', 'A change is recorded when it takes effect or after, not before.'),
  // -- the category taxonomy (administration)
  CATEGORY_NOT_FOUND: rule('not_found', 'No category has this id (or it belongs to another instansi).'),
  CATEGORY_ID_TAKEN: rule('conflict', 'A category with this id already exists.'),
  CATEGORY_NAME_TAKEN: rule('conflict', 'Another active category under the same parent, visible to the same instansi, has this name.'),
  CATEGORY_TOO_DEEP: rule('invalid', 'A sub-kategori sits under a kategori; there is no third level.'),
  CATEGORY_INACTIVE: rule('conflict', 'The category has been deactivated.'),
  CATEGORY_HAS_ACTIVE_CHILDREN: rule('conflict', 'The kategori still has active sub-kategori; deactivate them first.'),
} as const satisfies Record<string, { kind: DomainErrorKind; description: string }>;

export type DomainErrorCode = keyof typeof DOMAIN_ERRORS;

export const DOMAIN_ERROR_CODES = Object.keys(DOMAIN_ERRORS) as DomainErrorCode[];

export class DomainError extends Error {
  readonly kind: DomainErrorKind;

  constructor(
    readonly code: DomainErrorCode,
    detail?: string,
  ) {
    super(detail ? `${DOMAIN_ERRORS[code].description} ${detail}` : DOMAIN_ERRORS[code].description);
    this.name = 'DomainError';
    this.kind = DOMAIN_ERRORS[code].kind;
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;

/** Throws when the condition does not hold; keeps the deciders a list of rules. */
export function ensure(condition: boolean, code: DomainErrorCode, detail?: string): asserts condition {
  if (!condition) throw new DomainError(code, detail);
}
