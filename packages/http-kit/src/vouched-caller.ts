import { createHmac, timingSafeEqual } from 'node:crypto';
import { STAFF_ROLES, type StaffRole } from '@lapor/accounts';
import { z } from 'zod';
import type { ProvenCaller } from './authenticate';
import { unauthorized, type HttpProblem } from './problem';

// Distributed mode: the gateway checks a staff token (a round trip to the store: the account and its
// sign-outs as they are now) or an API key at its door, then forwards the request to a service, whose
// own door checked the same credential again, a few milliseconds later: a second round trip on every
// staff write, an eighth of all the distributed set's statements at high rates (bench:distributed's
// census). Instead the gateway vouches for the caller it proved, in a header the service believes
// when its MAC holds: who, for this method and URL, now. Nothing is checked later than before: the
// gateway's check is the one made after the request arrived.
//
// The key is derived from the token secret every process already shares (whoever has that secret can
// sign staff tokens anyway), under a label of its own, so a vouch is never taken for a token or the
// other way round. A vouch names the method and URL it was made for and lives VOUCH_LIFETIME_MS, so
// one seen on the internal network opens nothing else and not for long.

/** The header the gateway vouches in; the gateway drops any a client sends. */
export const VOUCHED_CALLER_HEADER = 'x-lapor-vouched-caller';

/** How long a vouch holds: forwarding takes milliseconds; the rest is for clocks of different hosts. */
const VOUCH_LIFETIME_MS = 30_000;
const VERSION = 'v1';

const Vouch = z.discriminatedUnion('k', [
  z.object({
    k: z.literal('staff'),
    id: z.string().min(1),
    role: z.custom<StaffRole>((role) => STAFF_ROLES.includes(role as StaffRole)),
    node: z.string().min(1),
    sid: z.string().min(1),
    exp: z.number().int(),
    m: z.string(),
    u: z.string(),
    t: z.number().int(),
  }),
  z.object({ k: z.literal('integration'), key: z.string().min(1), m: z.string(), u: z.string(), t: z.number().int() }),
]);

/** What a vouch is made for and checked against: the request as the gateway forwards it and the service receives it. */
export interface VouchedRequest {
  readonly method: string;
  readonly url: string;
}

/** Signs and checks vouches with the key derived from the shared token secret. */
export class CallerVouching {
  private readonly key: Buffer;

  constructor(
    jwtSecret: string,
    private readonly now: () => number = Date.now,
  ) {
    this.key = createHmac('sha256', jwtSecret).update('lapor: the gateway vouches for the caller it proved').digest();
  }

  /** The header value for a caller the door proved, for this request. */
  vouch(caller: ProvenCaller, request: VouchedRequest): string {
    const claims =
      caller.kind === 'staff'
        ? { k: 'staff', id: caller.id, role: caller.actor.role, node: caller.actor.nodeId, sid: caller.session.sessionId, exp: caller.session.expiresAt }
        : { k: 'integration', key: caller.keyId };
    const body = Buffer.from(JSON.stringify({ ...claims, m: request.method, u: request.url, t: this.now() })).toString('base64url');
    return `${VERSION}.${body}.${this.mac(body)}`;
  }

  /** The caller a vouch names, or the 401 to answer: a MAC that fails, another request's vouch, or one too old. */
  read(header: string, request: VouchedRequest): ProvenCaller | HttpProblem {
    // made only to be answered: a problem is an Error, and capturing its stack on every vouch that holds cost each forwarded request
    const refused = (): HttpProblem => unauthorized('The gateway’s word on the caller does not hold for this request.');
    const [version, body, mac] = header.split('.');
    if (version !== VERSION || !body || !mac) return refused();
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return refused();
    let parsed: z.infer<typeof Vouch>;
    try {
      parsed = Vouch.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
    } catch {
      return refused();
    }
    if (parsed.m !== request.method || parsed.u !== request.url || Math.abs(this.now() - parsed.t) > VOUCH_LIFETIME_MS) return refused();
    if (parsed.k === 'integration') return { kind: 'integration', keyId: parsed.key };
    if (parsed.exp * 1000 <= this.now()) return unauthorized('The bearer token has expired; sign in again (POST /auth/token).');
    const actor = { role: parsed.role, id: parsed.id, nodeId: parsed.node };
    return { kind: 'staff', id: parsed.id, actor, session: { actor, sessionId: parsed.sid, expiresAt: parsed.exp } };
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
