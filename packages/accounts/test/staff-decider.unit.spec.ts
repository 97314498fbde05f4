import { DeciderSpecification } from '@lapor/testing';
import { staffAccountsDecider, type AccountActor, type NodeFacts, type StaffAccountCommand, type StaffAccountEvent } from '../src';

// The staff accounts' rules, given what the account stream holds and an administrator's (or the
// holder's) command.

const spec = DeciderSpecification.for(staffAccountsDecider);
const NOW = '2026-12-04T03:00:00.000Z';

const TREE: Record<string, NodeFacts> = {
  nasional: { path: ['nasional'], kind: 'nasional', active: true },
  'pemprov-ntt': { path: ['nasional', 'pemprov-ntt'], kind: 'instansi', active: true },
  'ntt-pupr': { path: ['nasional', 'pemprov-ntt', 'ntt-pupr'], kind: 'unit', active: true },
  'ntt-dikbud': { path: ['nasional', 'pemprov-ntt', 'ntt-dikbud'], kind: 'unit', active: true },
  'ntt-organisasi': { path: ['nasional', 'pemprov-ntt', 'ntt-organisasi'], kind: 'unit', active: true },
  'ntt-diskominfo': { path: ['nasional', 'pemprov-ntt', 'ntt-diskominfo'], kind: 'unit', active: true },
  'ntt-tutup': { path: ['nasional', 'pemprov-ntt', 'ntt-tutup'], kind: 'unit', active: false },
  'pemkot-batam': { path: ['nasional', 'pemkot-batam'], kind: 'instansi', active: true },
  'batam-diskominfo': { path: ['nasional', 'pemkot-batam', 'batam-diskominfo'], kind: 'unit', active: true },
};
const nodes = { facts: (nodeId: string) => TREE[nodeId] };

const actors = {
  nasional: { id: 'acc-nasional', role: 'admin_nasional', nodeId: 'nasional' },
  ntt: { id: 'acc-ntt', role: 'admin_instansi', nodeId: 'pemprov-ntt' },
  batam: { id: 'acc-batam', role: 'admin_instansi', nodeId: 'pemkot-batam' },
  pupr: { id: 'acc-pupr', role: 'liaison', nodeId: 'ntt-pupr' },
} as const satisfies Record<string, AccountActor>;

const meta = (actor: AccountActor) => ({ now: NOW, actor, nodes });
const created = (actor: AccountActor, overrides: Partial<Extract<StaffAccountEvent, { type: 'StaffAccountCreated' }>['data']> = {}): StaffAccountEvent => ({
  type: 'StaffAccountCreated',
  data: {
    accountId: actor.id,
    username: actor.id,
    role: actor.role,
    nodeId: actor.nodeId,
    passwordHash: 'argon2id$x',
    mustChangePassword: false,
    by: null,
    at: null,
    ...overrides,
  },
});
const GIVEN: StaffAccountEvent[] = [created(actors.nasional), created(actors.ntt), created(actors.batam), created(actors.pupr)];

const create = (actor: AccountActor, data: Partial<Extract<StaffAccountCommand, { type: 'CreateStaffAccount' }>['data']> = {}): StaffAccountCommand => ({
  type: 'CreateStaffAccount',
  data: {
    accountId: 'acc-new',
    username: 'penghubung-dikbud',
    role: 'liaison',
    nodeId: 'ntt-dikbud',
    password: { hash: 'argon2id$temp', temporary: true },
    resetCode: null,
    additionalAdmin: false,
    ...data,
  },
  metadata: meta(actor),
});
const on = (actor: AccountActor, type: 'DeactivateStaffAccount' | 'ReactivateStaffAccount', accountId: string): StaffAccountCommand =>
  ({ type, data: { accountId }, metadata: meta(actor) }) as StaffAccountCommand;

describe('creating an account', () => {
  it('given an instansi admin, when it creates a liaison in its own unit with a temporary password, then the account must change it at first sign-in', () => {
    spec
      .given(GIVEN)
      .when(create(actors.ntt))
      .then([
        {
          type: 'StaffAccountCreated',
          data: {
            accountId: 'acc-new',
            username: 'penghubung-dikbud',
            role: 'liaison',
            nodeId: 'ntt-dikbud',
            passwordHash: 'argon2id$temp',
            mustChangePassword: true,
            by: actors.ntt,
            at: NOW,
          },
        },
      ]);
  });

  it('given no password, when an account is created with a reset code, then the code is issued with it (its hash, with an expiry)', () => {
    spec
      .given(GIVEN)
      .when(create(actors.nasional, { password: null, resetCode: { hash: 'sha-code', expiresAt: '2026-12-07T03:00:00.000Z' } }))
      .then([
        {
          type: 'StaffAccountCreated',
          data: {
            accountId: 'acc-new',
            username: 'penghubung-dikbud',
            role: 'liaison',
            nodeId: 'ntt-dikbud',
            passwordHash: null,
            mustChangePassword: false,
            by: actors.nasional,
            at: NOW,
          },
        },
        {
          type: 'StaffPasswordResetIssued',
          data: { accountId: 'acc-new', nodeId: 'ntt-dikbud', codeHash: 'sha-code', expiresAt: '2026-12-07T03:00:00.000Z', by: actors.nasional, at: NOW },
        },
      ]);
  });

  it.each([
    ['a username taken', actors.ntt, { username: 'acc-pupr' }, 'USERNAME_TAKEN'],
    ['a liaison creating anyone', actors.pupr, {}, 'ROLE_NOT_ALLOWED'],
    ['an instansi admin granting Admin Nasional', actors.ntt, { role: 'admin_nasional', nodeId: 'nasional' }, 'ROLE_NOT_GRANTABLE'],
    ['an instansi admin staffing another instansi’s unit', actors.batam, {}, 'NODE_NOT_FOUND'],
    ['an instansi admin staffing another instansi', actors.batam, { role: 'admin_instansi', nodeId: 'pemprov-ntt' }, 'OUT_OF_SCOPE'],
    ['a node that does not exist', actors.nasional, { nodeId: 'ntt-atlantis' }, 'NODE_NOT_FOUND'],
    ['a deactivated unit', actors.nasional, { nodeId: 'ntt-tutup' }, 'NODE_INACTIVE'],
    ['an instansi admin at a unit', actors.nasional, { role: 'admin_instansi', nodeId: 'ntt-pupr' }, 'ROLE_DOES_NOT_FIT_NODE'],
    ['a second instansi admin, not said to be on purpose', actors.nasional, { role: 'admin_instansi', nodeId: 'pemprov-ntt' }, 'INSTANSI_HAS_ADMIN'],
  ] as const)('refuses %s', (_case, actor, data, code) => {
    spec.given(GIVEN).when(create(actor, data)).thenThrows(code);
  });

  it('given an instansi with an admin, when a second is created on purpose (additionalAdmin), then it is', () => {
    spec
      .given(GIVEN)
      .when(create(actors.ntt, { role: 'admin_instansi', nodeId: 'pemprov-ntt', additionalAdmin: true, username: 'wakil-admin-ntt' }))
      .then([
        {
          type: 'StaffAccountCreated',
          data: {
            accountId: 'acc-new',
            username: 'wakil-admin-ntt',
            role: 'admin_instansi',
            nodeId: 'pemprov-ntt',
            passwordHash: 'argon2id$temp',
            mustChangePassword: true,
            by: actors.ntt,
            at: NOW,
          },
        },
      ]);
  });
});

describe('changing role and node', () => {
  const changeRole = (
    actor: AccountActor,
    accountId: string,
    role: 'liaison' | 'admin_instansi' | 'admin_nasional',
    additionalAdmin = false,
  ): StaffAccountCommand => ({
    type: 'ChangeStaffRole',
    data: { accountId, role, additionalAdmin },
    metadata: meta(actor),
  });
  const move = (actor: AccountActor, accountId: string, nodeId: string): StaffAccountCommand => ({
    type: 'MoveStaffAccount',
    data: { accountId, nodeId },
    metadata: meta(actor),
  });

  it('given a liaison, when its instansi admin moves it to another unit (mutasi), then it keeps its account id and the event names both units', () => {
    spec
      .given(GIVEN)
      .when(move(actors.ntt, 'acc-pupr', 'ntt-dikbud'))
      .then([
        {
          type: 'StaffAccountMoved',
          data: { accountId: 'acc-pupr', nodeId: 'ntt-dikbud', previousNodeId: 'ntt-pupr', role: 'liaison', by: actors.ntt, at: NOW },
        },
      ]);
  });

  it.each([
    ['another instansi’s admin moving a liaison', actors.batam, 'acc-pupr', 'batam-diskominfo', 'ACCOUNT_NOT_FOUND'],
    ['moving to where it is', actors.ntt, 'acc-pupr', 'ntt-pupr', 'NO_CHANGE'],
    ['moving into another instansi', actors.ntt, 'acc-pupr', 'batam-diskominfo', 'NODE_NOT_FOUND'],
    ['moving the only instansi admin away', actors.nasional, 'acc-ntt', 'pemkot-batam', 'LAST_INSTANSI_ADMIN'],
  ] as const)('refuses %s', (_case, actor, accountId, nodeId, code) => {
    spec
      .given(GIVEN)
      .when(move(actor, accountId, nodeId))
      .thenThrows(code);
  });

  it('given a second instansi admin, when Admin Nasional makes it a liaison, then the event says from what to what', () => {
    const secondAdmin = created({ id: 'acc-ntt-2', role: 'admin_instansi', nodeId: 'pemprov-ntt' });
    spec
      .given([...GIVEN, secondAdmin])
      .when(changeRole(actors.nasional, 'acc-ntt-2', 'liaison'))
      .then([
        {
          type: 'StaffAccountRoleChanged',
          data: { accountId: 'acc-ntt-2', nodeId: 'pemprov-ntt', role: 'liaison', previousRole: 'admin_instansi', by: actors.nasional, at: NOW },
        },
      ]);
    spec
      .given([...GIVEN, secondAdmin])
      .when(changeRole(actors.nasional, 'acc-ntt-2', 'admin_nasional'))
      .thenThrows('ROLE_DOES_NOT_FIT_NODE');
  });

  it('refuses an instansi admin making anyone Admin Nasional, and demoting its only admin', () => {
    spec
      .given(GIVEN)
      .when(changeRole(actors.ntt, 'acc-pupr', 'admin_nasional'))
      .thenThrows('ROLE_NOT_GRANTABLE');
    spec
      .given(GIVEN)
      .when(changeRole(actors.nasional, 'acc-ntt', 'liaison'))
      .thenThrows('LAST_INSTANSI_ADMIN');
  });
});

describe('deactivating and reactivating', () => {
  it('given an active liaison, when its instansi admin deactivates it, then it is deactivated, and again is refused', () => {
    spec
      .given(GIVEN)
      .when(on(actors.ntt, 'DeactivateStaffAccount', 'acc-pupr'))
      .then([{ type: 'StaffAccountDeactivated', data: { accountId: 'acc-pupr', nodeId: 'ntt-pupr', by: actors.ntt, at: NOW } }]);
    const deactivated: StaffAccountEvent = { type: 'StaffAccountDeactivated', data: { accountId: 'acc-pupr', nodeId: 'ntt-pupr', by: actors.ntt, at: NOW } };
    spec
      .given([...GIVEN, deactivated])
      .when(on(actors.ntt, 'DeactivateStaffAccount', 'acc-pupr'))
      .thenThrows('ACCOUNT_INACTIVE');
    spec
      .given([...GIVEN, deactivated])
      .when(on(actors.ntt, 'ReactivateStaffAccount', 'acc-pupr'))
      .then([{ type: 'StaffAccountReactivated', data: { accountId: 'acc-pupr', nodeId: 'ntt-pupr', by: actors.ntt, at: NOW } }]);
  });

  it('refuses another instansi’s admin (as if the account did not exist), a liaison, and the last instansi admin', () => {
    spec
      .given(GIVEN)
      .when(on(actors.batam, 'DeactivateStaffAccount', 'acc-pupr'))
      .thenThrows('ACCOUNT_NOT_FOUND');
    spec
      .given(GIVEN)
      .when(on(actors.pupr, 'DeactivateStaffAccount', 'acc-pupr'))
      .thenThrows('ROLE_NOT_ALLOWED');
    spec
      .given(GIVEN)
      .when(on(actors.nasional, 'DeactivateStaffAccount', 'acc-ntt'))
      .thenThrows('LAST_INSTANSI_ADMIN');
    spec
      .given(GIVEN)
      .when(on(actors.ntt, 'ReactivateStaffAccount', 'acc-pupr'))
      .thenThrows('ACCOUNT_ACTIVE');
  });
});

describe('reactivating where the tree or the instansi’s admin has changed', () => {
  it('refuses a former admin while the instansi has another, and an account whose unit has been deactivated', () => {
    const formerAdmin = created({ id: 'acc-ntt-lama', role: 'admin_instansi', nodeId: 'pemprov-ntt' });
    const gone = (accountId: string, nodeId: string): StaffAccountEvent => ({
      type: 'StaffAccountDeactivated',
      data: { accountId, nodeId, by: actors.nasional, at: NOW },
    });
    spec
      .given([...GIVEN, formerAdmin, gone('acc-ntt-lama', 'pemprov-ntt')])
      .when(on(actors.nasional, 'ReactivateStaffAccount', 'acc-ntt-lama'))
      .thenThrows('INSTANSI_HAS_ADMIN');
    const closedUnit = created({ id: 'acc-tutup', role: 'liaison', nodeId: 'ntt-tutup' });
    spec
      .given([...GIVEN, closedUnit, gone('acc-tutup', 'ntt-tutup')])
      .when(on(actors.ntt, 'ReactivateStaffAccount', 'acc-tutup'))
      .thenThrows('NODE_INACTIVE');
  });
});

describe('hand-overs', () => {
  const newcomer = created({ id: 'acc-baru', role: 'liaison', nodeId: 'ntt-dikbud' });
  const handOver = (actor: AccountActor, successorAccountId: string): StaffAccountCommand => ({
    type: 'HandOverStaffAccount',
    data: { accountId: 'acc-pupr', nodeId: 'ntt-organisasi', successorAccountId },
    metadata: meta(actor),
  });

  it('given a liaison moving on, when its successor is appointed, then the liaison moves and the successor takes its unit, in one decision', () => {
    spec
      .given([...GIVEN, newcomer])
      .when(handOver(actors.ntt, 'acc-baru'))
      .then([
        {
          type: 'StaffAccountMoved',
          data: { accountId: 'acc-pupr', nodeId: 'ntt-organisasi', previousNodeId: 'ntt-pupr', role: 'liaison', by: actors.ntt, at: NOW },
        },
        {
          type: 'StaffAccountMoved',
          data: { accountId: 'acc-baru', nodeId: 'ntt-pupr', previousNodeId: 'ntt-dikbud', role: 'liaison', by: actors.ntt, at: NOW },
        },
      ]);
  });

  it('refuses the account as its own successor, and a successor outside the admin’s instansi', () => {
    spec
      .given([...GIVEN, newcomer])
      .when(handOver(actors.ntt, 'acc-pupr'))
      .thenThrows('SUCCESSOR_INVALID');
    spec
      .given([...GIVEN, newcomer])
      .when(handOver(actors.ntt, 'acc-batam'))
      .thenThrows('ACCOUNT_NOT_FOUND');
  });
});

describe('moving the instansi-admin role (TTU, 2024: Bagian Organisasi to Diskominfo)', () => {
  const kominfo = created({ id: 'acc-kominfo', role: 'liaison', nodeId: 'ntt-diskominfo' });
  const transfer = (actor: AccountActor, previousAdminNodeId: string | null, toAccountId = 'acc-kominfo'): StaffAccountCommand => ({
    type: 'TransferInstansiAdmin',
    data: { instansiId: 'pemprov-ntt', fromAccountId: 'acc-ntt', toAccountId, previousAdminNodeId },
    metadata: meta(actor),
  });

  it('given one admin, when the role moves to Diskominfo’s officer, then the old admin becomes a liaison of its unit and the new one the admin, in one append', () => {
    spec
      .given([...GIVEN, kominfo])
      .when(transfer(actors.ntt, 'ntt-organisasi'))
      .then([
        {
          type: 'StaffAccountMoved',
          data: { accountId: 'acc-ntt', nodeId: 'ntt-organisasi', previousNodeId: 'pemprov-ntt', role: 'admin_instansi', by: actors.ntt, at: NOW },
        },
        {
          type: 'StaffAccountRoleChanged',
          data: { accountId: 'acc-ntt', nodeId: 'ntt-organisasi', role: 'liaison', previousRole: 'admin_instansi', by: actors.ntt, at: NOW },
        },
        {
          type: 'StaffAccountMoved',
          data: { accountId: 'acc-kominfo', nodeId: 'pemprov-ntt', previousNodeId: 'ntt-diskominfo', role: 'liaison', by: actors.ntt, at: NOW },
        },
        {
          type: 'StaffAccountRoleChanged',
          data: { accountId: 'acc-kominfo', nodeId: 'pemprov-ntt', role: 'admin_instansi', previousRole: 'liaison', by: actors.ntt, at: NOW },
        },
      ]);
  });

  it('given no unit for the previous admin, then it is deactivated', () => {
    spec
      .given([...GIVEN, kominfo])
      .when(transfer(actors.nasional, null))
      .then([
        { type: 'StaffAccountDeactivated', data: { accountId: 'acc-ntt', nodeId: 'pemprov-ntt', by: actors.nasional, at: NOW } },
        {
          type: 'StaffAccountMoved',
          data: { accountId: 'acc-kominfo', nodeId: 'pemprov-ntt', previousNodeId: 'ntt-diskominfo', role: 'liaison', by: actors.nasional, at: NOW },
        },
        {
          type: 'StaffAccountRoleChanged',
          data: { accountId: 'acc-kominfo', nodeId: 'pemprov-ntt', role: 'admin_instansi', previousRole: 'liaison', by: actors.nasional, at: NOW },
        },
      ]);
  });

  it('refuses another instansi’s admin, and a successor from another instansi', () => {
    spec
      .given([...GIVEN, kominfo])
      .when(transfer(actors.batam, null))
      .thenThrows('ACCOUNT_NOT_FOUND');
    spec
      .given([...GIVEN, kominfo])
      .when(transfer(actors.nasional, null, 'acc-batam'))
      .thenThrows('SUCCESSOR_INVALID');
  });
});

describe('passwords and sessions', () => {
  const issued: StaffAccountEvent = {
    type: 'StaffPasswordResetIssued',
    data: { accountId: 'acc-pupr', nodeId: 'ntt-pupr', codeHash: 'sha-code', expiresAt: '2026-12-05T00:00:00.000Z', by: actors.ntt, at: NOW },
  };
  const redeem = (codeHash: string, now = NOW): StaffAccountCommand => ({
    type: 'RedeemPasswordReset',
    data: { accountId: 'acc-pupr', codeHash, passwordHash: 'argon2id$new' },
    metadata: { now, actor: actors.pupr, nodes },
  });

  it('given an administrator’s reset, when the holder redeems the code once, then the password is theirs; a second use, a wrong or an expired code is refused', () => {
    spec
      .given([...GIVEN, issued])
      .when(redeem('sha-code'))
      .then([
        {
          type: 'StaffPasswordChanged',
          data: { accountId: 'acc-pupr', nodeId: 'ntt-pupr', passwordHash: 'argon2id$new', via: 'reset-code', by: actors.pupr, at: NOW },
        },
      ]);
    const used: StaffAccountEvent = {
      type: 'StaffPasswordChanged',
      data: { accountId: 'acc-pupr', nodeId: 'ntt-pupr', passwordHash: 'argon2id$new', via: 'reset-code', by: actors.pupr, at: NOW },
    };
    spec
      .given([...GIVEN, issued, used])
      .when(redeem('sha-code'))
      .thenThrows('RESET_CODE_INVALID');
    spec
      .given([...GIVEN, issued])
      .when(redeem('sha-other'))
      .thenThrows('RESET_CODE_INVALID');
    spec
      .given([...GIVEN, issued])
      .when(redeem('sha-code', '2026-12-05T00:00:01.000Z'))
      .thenThrows('RESET_CODE_INVALID');
  });

  it('lets only the holder change their own password, and an administrator reset only within scope', () => {
    const change = (actor: AccountActor): StaffAccountCommand => ({
      type: 'ChangeOwnPassword',
      data: { accountId: 'acc-pupr', passwordHash: 'argon2id$mine' },
      metadata: meta(actor),
    });
    spec
      .given(GIVEN)
      .when(change(actors.pupr))
      .then([
        {
          type: 'StaffPasswordChanged',
          data: { accountId: 'acc-pupr', nodeId: 'ntt-pupr', passwordHash: 'argon2id$mine', via: 'self', by: actors.pupr, at: NOW },
        },
      ]);
    spec.given(GIVEN).when(change(actors.ntt)).thenThrows('NOT_OWN_ACCOUNT');
    const reset = (actor: AccountActor): StaffAccountCommand => ({
      type: 'IssuePasswordReset',
      data: { accountId: 'acc-pupr', codeHash: 'h', expiresAt: NOW },
      metadata: meta(actor),
    });
    spec.given(GIVEN).when(reset(actors.batam)).thenThrows('ACCOUNT_NOT_FOUND');
    spec
      .given(GIVEN)
      .when(reset(actors.ntt))
      .then([
        { type: 'StaffPasswordResetIssued', data: { accountId: 'acc-pupr', nodeId: 'ntt-pupr', codeHash: 'h', expiresAt: NOW, by: actors.ntt, at: NOW } },
      ]);
  });

  it('given a sign-in that proved the password under old parameters, when it is rehashed, then the holder’s own account records the new hash; nobody else’s, no deactivated one', () => {
    const rehash = (actor: AccountActor, accountId = 'acc-pupr'): StaffAccountCommand => ({
      type: 'RehashPassword',
      data: { accountId, passwordHash: 'argon2id$rehashed' },
      metadata: meta(actor),
    });
    spec
      .given(GIVEN)
      .when(rehash(actors.pupr))
      .then([
        {
          type: 'StaffPasswordChanged',
          data: { accountId: 'acc-pupr', nodeId: 'ntt-pupr', passwordHash: 'argon2id$rehashed', via: 'rehash', by: actors.pupr, at: NOW },
        },
      ]);
    spec.given(GIVEN).when(rehash(actors.ntt)).thenThrows('NOT_OWN_ACCOUNT');
    const deactivated: StaffAccountEvent = { type: 'StaffAccountDeactivated', data: { accountId: 'acc-pupr', nodeId: 'ntt-pupr', by: actors.ntt, at: NOW } };
    spec
      .given([...GIVEN, deactivated])
      .when(rehash(actors.pupr))
      .thenThrows('ACCOUNT_INACTIVE');
  });

  it('given a deactivated account, then neither its own change nor a reset code sets its password', () => {
    const deactivated: StaffAccountEvent = { type: 'StaffAccountDeactivated', data: { accountId: 'acc-pupr', nodeId: 'ntt-pupr', by: actors.ntt, at: NOW } };
    spec
      .given([...GIVEN, issued, deactivated])
      .when(redeem('sha-code'))
      .thenThrows('ACCOUNT_INACTIVE');
    spec
      .given([...GIVEN, deactivated])
      .when({ type: 'ChangeOwnPassword', data: { accountId: 'acc-pupr', passwordHash: 'argon2id$mine' }, metadata: meta(actors.pupr) })
      .thenThrows('ACCOUNT_INACTIVE');
    spec
      .given([...GIVEN, deactivated])
      .when({ type: 'IssuePasswordReset', data: { accountId: 'acc-pupr', codeHash: 'h', expiresAt: NOW }, metadata: meta(actors.ntt) })
      .thenThrows('ACCOUNT_INACTIVE');
  });

  it('given a session, a rehash keeps it going', () => {
    const state = [...GIVEN, issued].reduce(staffAccountsDecider.evolve, staffAccountsDecider.initialState());
    const before = state.accounts.get('acc-pupr')!.generation;
    staffAccountsDecider.evolve(state, {
      type: 'StaffPasswordChanged',
      data: { accountId: 'acc-pupr', nodeId: 'ntt-pupr', passwordHash: 'x', via: 'rehash', by: actors.pupr, at: NOW },
    });
    expect(state.accounts.get('acc-pupr')!.generation).toBe(before);
  });
});
