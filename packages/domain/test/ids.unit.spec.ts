import fc from 'fast-check';
import { ComplaintId, complaintIdFromStream, complaintStream, generateTrackingId, isTrackingId, normaliseTrackingId, TRACKING_ID_ALPHABET } from '../src';

const COMPLAINT_ID = '0190f5a2-7c1e-7a3b-9d4e-2f6a8b0c1d2e';

describe('complaint stream names', () => {
  it('are complaint-<id>, and give the id back', () => {
    expect(complaintStream(COMPLAINT_ID)).toBe(`complaint-${COMPLAINT_ID}`);
    expect(complaintIdFromStream(complaintStream(COMPLAINT_ID))).toBe(COMPLAINT_ID);
  });

  it('are not confused with other streams', () => {
    expect(complaintIdFromStream(`timer-${COMPLAINT_ID}`)).toBeNull();
    expect(complaintIdFromStream('complaint-not-a-uuid')).toBeNull();
  });

  it('give an id exactly when the complaint id schema accepts it', () => {
    const candidate = fc.oneof(
      fc.uuid(),
      fc.string(),
      fc.uuid().map((id) => id.toUpperCase()),
      fc.uuid().map((id) => `${id}x`),
    );
    fc.assert(
      fc.property(candidate, (id) => {
        const parsed = ComplaintId.safeParse(id);
        expect(complaintIdFromStream(`complaint-${id}`)).toBe(parsed.success ? parsed.data : null);
      }),
    );
  });
});

describe('tracking ids', () => {
  it('avoid characters people mix up when reading aloud', () => {
    expect(TRACKING_ID_ALPHABET).toHaveLength(32);
    for (const ambiguous of ['0', 'O', '1', 'I']) expect(TRACKING_ID_ALPHABET).not.toContain(ambiguous);
  });

  it('are generated from the random source given, and always valid', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 10, maxLength: 10 }), (bytes) => {
        const id = generateTrackingId(() => bytes);
        expect(isTrackingId(id)).toBe(true);
        expect(generateTrackingId(() => bytes)).toBe(id); // pure: same randomness, same id
      }),
    );
  });

  it('use the whole alphabet, so no symbol is wasted', () => {
    const all = new Uint8Array(32).map((_, i) => i);
    const seen = new Set([
      ...generateTrackingId(() => all.slice(0, 10)),
      ...generateTrackingId(() => all.slice(10, 20)),
      ...generateTrackingId(() => all.slice(20, 30)),
    ]);
    expect(seen.size).toBeGreaterThanOrEqual(30);
  });

  it('refuse a random source that gives too few bytes', () => {
    expect(() => generateTrackingId(() => new Uint8Array(3))).toThrow();
  });

  it('are validated strictly', () => {
    expect(isTrackingId('LAP-7KQ2M9XH4D')).toBe(true);
    expect(isTrackingId('LAP-7KQ2M9XH4')).toBe(false);
    expect(isTrackingId('LAP-7KQ2M9XH4O')).toBe(false);
    expect(isTrackingId('lap-7kq2m9xh4d')).toBe(false);
  });

  it('are read back as a reporter types them in an SMS', () => {
    expect(normaliseTrackingId(' lap 7kq2-m9xh4d ')).toBe('LAP-7KQ2M9XH4D');
    expect(normaliseTrackingId('7KQ2M9XH4D')).toBe('LAP-7KQ2M9XH4D');
    expect(normaliseTrackingId('LAP-7KQ2M9XH40')).toBeNull();
    // an id whose own characters begin with L, A, P is not mistaken for a prefix
    expect(normaliseTrackingId('lap2345678')).toBe('LAP-LAP2345678');
  });
});
