import { z } from 'zod';
import { configProblemLine, maskedSettings, maskUrlPasswords } from '../src/settings';

describe('settings shown and refused at start', () => {
  it('given a URL with a password, then only the password is masked, wherever the URL sits in the value', () => {
    expect(maskUrlPasswords('postgres://lapor:s3cr3t@db:5432/lapor')).toBe('postgres://lapor:***@db:5432/lapor');
    expect(maskUrlPasswords('intake=http://svc:pw@intake:3001,verification=http://verification:3002')).toBe(
      'intake=http://svc:***@intake:3001,verification=http://verification:3002',
    );
    expect(maskUrlPasswords('postgres://postgres@127.0.0.1:5432/postgres')).toBe('postgres://postgres@127.0.0.1:5432/postgres');
    expect(maskUrlPasswords('127.0.0.1:9092')).toBe('127.0.0.1:9092');
  });

  it('given secrets by name (passwords, keys, tokens, secrets), then they are masked at any depth; a key folder and a token lifetime are not', () => {
    const shown = maskedSettings({
      LAPOR_JWT_SECRET: 'x'.repeat(40),
      LAPOR_MASTER_KEY: 'base64',
      LAPOR_SMS_API_KEY: 'k',
      LAPOR_SMS_TOKEN: 't',
      demoPassword: 'lapor-demo',
      firstAdmin: { username: 'admin', password: 'very-secret-password' },
      DATABASE_URL: 'postgres://u:p@h/db',
      LAPOR_KEY_DIR: '/keys',
      LAPOR_TOKEN_LIFETIME_SECONDS: 3600,
      PORT: 3000,
      unset: undefined,
    });
    expect(shown).toEqual({
      DATABASE_URL: 'postgres://u:***@h/db',
      demoPassword: '***',
      firstAdmin: { password: '***', username: 'admin' },
      LAPOR_JWT_SECRET: '***',
      LAPOR_KEY_DIR: '/keys',
      LAPOR_MASTER_KEY: '***',
      LAPOR_SMS_API_KEY: '***',
      LAPOR_SMS_TOKEN: '***',
      LAPOR_TOKEN_LIFETIME_SECONDS: 3600,
      PORT: 3000,
    });
  });

  it('given a bad environment, then one line names every variable that is wrong', () => {
    const schema = z.object({ PORT: z.coerce.number().int().min(1), DATABASE_URL: z.string().regex(/^postgres:\/\//, 'a postgres:// connection string') });
    const parsed = schema.safeParse({ PORT: 'abc' });
    expect(parsed.success).toBe(false);
    const line = configProblemLine('intake', parsed.error!);
    expect(line).not.toContain('\n');
    expect(line).toMatch(/^intake: invalid configuration: PORT: .+; DATABASE_URL: .+$/);
  });
});
