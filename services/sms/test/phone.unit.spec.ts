import fc from 'fast-check';
import { normalisePhone } from '../src/phone/e164';
import { reporterRefForPhone } from '../src/phone/reporter-ref';

// Phone numbers to E.164, however the gateway or the citizen wrote them.

describe('normalising a phone number to E.164', () => {
  it('given the ways Indonesian numbers are written, then each becomes +62…', () => {
    for (const written of [
      '081234567890',
      '0812-3456-7890',
      '0812 3456 7890',
      '6281234567890',
      '+6281234567890',
      '+62 812-3456-7890',
      '+62 (0)812 3456 7890',
      '(0812) 3456.7890',
      '006281234567890',
      '81234567890',
    ]) {
      expect(normalisePhone(written)).toBe('+6281234567890');
    }
  });

  it('given the shortest and longest Indonesian mobile numbers, then both are kept', () => {
    expect(normalisePhone('0812345678')).toBe('+62812345678');
    expect(normalisePhone('0812-3456-78901')).toBe('+62812345678901');
  });

  it('given an Indonesian number that is no mobile (a landline, too short, too long), then it is refused', () => {
    for (const written of ['021-5551234', '0812345', '08123456789012', '+62 21 5551234']) expect(normalisePhone(written)).toBeNull();
  });

  it('given another country with its +, then it is kept; without it, it cannot be told from a typo', () => {
    expect(normalisePhone('+65 9123 4567')).toBe('+6591234567');
    expect(normalisePhone('6591234567')).toBeNull();
  });

  it('given letters, short codes or nothing, then it is refused', () => {
    for (const written of ['', '1708', 'TELKOMSEL', '+62abc', '0812345678x']) expect(normalisePhone(written)).toBeNull();
  });

  it('is idempotent: an E.164 number normalises to itself', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 8, max: 11 }).chain((length) => fc.stringMatching(new RegExp(`^8\\d{${length}}$`))),
        (national) => {
          const e164 = normalisePhone(`0${national}`);
          expect(e164).toBe(`+62${national}`);
          expect(normalisePhone(e164!)).toBe(e164);
        },
      ),
    );
  });
});

describe('the reporter reference of an SMS sender', () => {
  const key = Buffer.alloc(32, 7);
  it('is the same for every spelling of the number, and differs by key', () => {
    const a = reporterRefForPhone(key, normalisePhone('0812-3456-7890')!);
    expect(a).toBe(reporterRefForPhone(key, normalisePhone('+6281234567890')!));
    expect(a).not.toBe(reporterRefForPhone(Buffer.alloc(32, 8), normalisePhone('+6281234567890')!));
  });

  it('holds no digits of the number', () => {
    const ref = reporterRefForPhone(key, normalisePhone('081234567890')!);
    expect(ref).toMatch(/^sms-[0-9a-f]{64}$/);
    expect(ref).not.toContain('81234567890');
  });
});
