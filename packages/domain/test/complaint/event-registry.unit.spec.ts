import type { ComplaintEventRegistry } from '../../src';
import { z } from 'zod';
import { complaintEventRegistry, HandlingRated, complaintEventTypes, createComplaintEventParser, EventParseError, parseComplaintEvent } from '../../src';
import { actors, completed, FOLLOW_UP_1, t, uuid } from './fixtures';

const REPLY = uuid(301);

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    if (error instanceof EventParseError) return error.code;
    throw error;
  }
  return undefined;
};

describe('the event registry', () => {
  it('knows every event type, at schema version 1 except those with files (named whole since version 2) and the reporter’s side (`enteredVia`)', () => {
    expect(complaintEventTypes()).toHaveLength(15);
    const second = ['ComplaintSubmitted', 'FollowUpPosted', 'HandlingRated', 'MissingDataSupplied', 'ReporterReplied'];
    for (const type of complaintEventTypes()) expect(complaintEventRegistry[type].currentVersion).toBe(second.includes(type) ? 2 : 1);
  });

  it('reads back what was stored, through JSON', () => {
    for (const event of completed) {
      const stored = JSON.parse(JSON.stringify(event)) as { type: string; schemaVersion: number; data: unknown };
      expect(parseComplaintEvent(stored)).toEqual(event);
    }
  });

  it('refuses an unknown type, a version from the future and malformed data, each with its own code', () => {
    expect(codeOf(() => parseComplaintEvent({ type: 'ComplaintTeleported', schemaVersion: 1, data: {} }))).toBe('UNKNOWN_EVENT_TYPE');
    expect(codeOf(() => parseComplaintEvent({ type: 'toString', schemaVersion: 1, data: {} }))).toBe('UNKNOWN_EVENT_TYPE');
    expect(codeOf(() => parseComplaintEvent({ type: 'HandlingRated', schemaVersion: 3, data: {} }))).toBe('UNSUPPORTED_EVENT_VERSION');
    expect(codeOf(() => parseComplaintEvent({ type: 'HandlingRated', schemaVersion: 0, data: {} }))).toBe('MISSING_UPCASTER');
    expect(
      codeOf(() => parseComplaintEvent({ type: 'HandlingRated', schemaVersion: 1, data: { rating: 9, comment: null, at: t(1), by: actors.reporter } })),
    ).toBe('INVALID_EVENT_DATA');
  });
});

describe('upcasting', () => {
  it('reads a version-1 event of the reporter’s side as version 2, unmarked (`enteredVia` null)', () => {
    const replyV1 = {
      type: 'ReporterReplied',
      schemaVersion: 1,
      data: { replyId: REPLY, followUpId: FOLLOW_UP_1, message: 'Belum diperbaiki.', attachmentIds: ['foto-1'], at: t(9), by: actors.adminNtt },
    };
    const { attachmentIds: _ids, ...unchanged } = replyV1.data;
    expect(parseComplaintEvent(replyV1)).toEqual({
      ...replyV1,
      schemaVersion: 2,
      data: { ...unchanged, attachments: [{ id: 'foto-1', name: null, mediaType: null, size: null, sha256: null }], enteredVia: null },
    });
    expect(codeOf(() => parseComplaintEvent({ ...replyV1, data: unchanged }))).toBe('INVALID_EVENT_DATA');
    const ratedV1 = { type: 'HandlingRated', schemaVersion: 1, data: { rating: 4, comment: null, at: t(9), by: actors.reporter } };
    expect(parseComplaintEvent(ratedV1)).toEqual({ type: 'HandlingRated', schemaVersion: 2, data: { ...ratedV1.data, enteredVia: null } });
  });

  // Suppose HandlingRated was once stored as v0 with a `score` out of 10 and no comment.
  // Reading such an event must give today's shape (through v1) without rewriting the store.
  const scoreOutOfTen = (data: unknown) => {
    const { score, ...rest } = data as { score: number };
    return { ...rest, rating: Math.round(score / 2), comment: null };
  };
  const withV0: ComplaintEventRegistry = {
    ...complaintEventRegistry,
    HandlingRated: { ...complaintEventRegistry.HandlingRated, upcasters: { ...complaintEventRegistry.HandlingRated.upcasters, 0: scoreOutOfTen } },
  };
  const parse = createComplaintEventParser(withV0);

  it('lifts a v0 event to the current version', () => {
    const old = { type: 'HandlingRated', schemaVersion: 0, data: { score: 8, at: t(9), by: actors.reporter } };
    expect(parse(old)).toEqual({
      type: 'HandlingRated',
      schemaVersion: 2,
      data: { rating: 4, comment: null, enteredVia: null, at: t(9), by: actors.reporter },
    });
  });

  it('validates the upcast result against the current schema', () => {
    const old = { type: 'HandlingRated', schemaVersion: 0, data: { score: 30, at: t(9), by: actors.reporter } };
    expect(codeOf(() => parse(old))).toBe('INVALID_EVENT_DATA');
  });

  it('runs every link of a longer chain, in order', () => {
    // A pretend v3 of HandlingRated: v1 → v2 adds a channel, v2 → v3 renames comment to remark.
    const v3 = HandlingRated.extend({
      schemaVersion: z.literal(3),
      data: HandlingRated.shape.data.omit({ comment: true, enteredVia: true }).extend({ channel: z.string(), remark: z.string().nullable() }),
    });
    const chained = {
      ...complaintEventRegistry,
      HandlingRated: {
        currentVersion: 3,
        schema: v3,
        upcasters: {
          1: (data: unknown) => ({ ...(data as object), channel: 'web' }),
          2: (data: unknown) => {
            const { comment, ...rest } = data as { comment: string | null };
            return { ...rest, remark: comment };
          },
        },
      },
    } as unknown as ComplaintEventRegistry;
    const stored = { type: 'HandlingRated', schemaVersion: 1, data: { rating: 5, comment: 'Cepat', at: t(9), by: actors.reporter } };
    expect(createComplaintEventParser(chained)(stored)).toEqual({
      type: 'HandlingRated',
      schemaVersion: 3,
      data: { rating: 5, remark: 'Cepat', channel: 'web', at: t(9), by: actors.reporter },
    });
  });

  it('refuses a version the chain cannot reach', () => {
    expect(codeOf(() => parseComplaintEvent({ type: 'HandlingRated', schemaVersion: 0, data: {} }))).toBe('MISSING_UPCASTER');
  });
});
