// ---------------------------------------------------------------------------
// Phone numbers as SMS gateways and people write them, to E.164
// ---------------------------------------------------------------------------

/** An E.164 number, e.g. +6281234567890: the only form a phone number is sealed, hashed or sent in. */
export type E164 = string & { readonly __brand: 'E164' };

const INDONESIA = '62';
// Indonesian mobile numbers: 8 then 8 to 11 more digits (0812-345-678 up to 0812-3456-78901).
const INDONESIAN_MOBILE = /^8\d{8,11}$/;
// Any other country: E.164 allows 15 digits at most after the +, the first never 0.
const INTERNATIONAL = /^[1-9]\d{7,14}$/;

/**
 * The number in E.164, or null when it cannot be one. Accepts what gateways and people send:
 * `081234567890`, `6281234567890`, `+62 812-3456-7890`, `(0812) 3456 7890`, `+62 (0)812…`,
 * `0062…`, and a bare `81234567890`. Indonesian numbers must be mobile numbers (SMS comes from a
 * handset); a number of another country is kept as it is, when it is plausible.
 */
export function normalisePhone(input: string): E164 | null {
  const trimmed = input.trim();
  if (!/^[+\d\s().\-/]+$/.test(trimmed)) return null;
  const plus = trimmed.startsWith('+');
  let digits = trimmed.replace(/\D/g, '');
  if (!plus && digits.startsWith('00')) digits = digits.slice(2);
  else if (!plus && digits.startsWith('0')) digits = `${INDONESIA}${digits.slice(1)}`;
  else if (!plus && digits.startsWith('8')) digits = `${INDONESIA}${digits}`;
  if (digits.startsWith(INDONESIA)) {
    // "+62 (0)812…": the trunk 0 written after the country code
    const national = digits.slice(INDONESIA.length).replace(/^0/, '');
    return INDONESIAN_MOBILE.test(national) ? (`+${INDONESIA}${national}` as E164) : null;
  }
  // without a + or 00, a number that is not Indonesian cannot be told from a mistyped one
  return (plus || trimmed.startsWith('00')) && INTERNATIONAL.test(digits) ? (`+${digits}` as E164) : null;
}
