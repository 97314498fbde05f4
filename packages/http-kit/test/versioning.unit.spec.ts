import type { FastifyRequest } from 'fastify';
import { ifMatchVersion } from '../src/versioning';

const withIfMatch = (value: string | undefined) => ({ headers: value === undefined ? {} : { 'if-match': value } }) as unknown as FastifyRequest;

describe('If-Match compares strongly (RFC 9110 §13.1.1)', () => {
  it('given the strong tag "0", it matches version 0', () => {
    expect(ifMatchVersion(withIfMatch('"0"'))).toBe(0n);
  });

  it('given the strong tag "12", it matches version 12', () => {
    expect(ifMatchVersion(withIfMatch('"12"'))).toBe(12n);
  });

  it('given no If-Match, there is no precondition', () => {
    expect(ifMatchVersion(withIfMatch(undefined))).toBeUndefined();
  });

  it.each(['W/"0"', 'W/"12"'])('given the weak tag %s, it never matches: 412', (tag) => {
    expect(() => ifMatchVersion(withIfMatch(tag))).toThrow(expect.objectContaining({ status: 412, slug: 'precondition-failed' }));
  });

  it('given something that is no entity tag, it answers 400', () => {
    expect(() => ifMatchVersion(withIfMatch('yesterday'))).toThrow(expect.objectContaining({ status: 400 }));
  });
});
