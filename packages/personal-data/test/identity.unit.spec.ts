import { ReporterIdentity } from '../src';

describe('ReporterIdentity', () => {
  it('given a name with e-mail, E.164 phone, 16-digit NIK and address, then it is accepted', () => {
    const identity = { name: 'Maria', email: 'maria@example.id', phone: '+6281234567890', nik: '5371012345678901', address: 'Jl. El Tari 1, Kupang' };
    expect(ReporterIdentity.parse(identity)).toEqual(identity);
  });

  it.each([
    ['no name', {}],
    ['an empty name', { name: '' }],
    ['a name over 200 characters', { name: 'x'.repeat(201) }],
    ['a bad e-mail', { name: 'Maria', email: 'maria-at-example' }],
    ['a phone not in E.164', { name: 'Maria', phone: '081234567890' }],
    ['a NIK of 15 digits', { name: 'Maria', nik: '537101234567890' }],
    ['a NIK with letters', { name: 'Maria', nik: '53710123456789AB' }],
    ['an address over 500 characters', { name: 'Maria', address: 'x'.repeat(501) }],
    ['an unknown field', { name: 'Maria', religion: 'any' }],
  ])('given %s, then it is refused', (_case, value) => {
    expect(ReporterIdentity.safeParse(value).success).toBe(false);
  });
});
