import { repoRoot } from '@lapor/testing';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';

// A process started with a bad setting stops at once with one line naming it; --print-config shows
// the settings it would run with, secrets masked, and starts nothing.

const SECRET = 'jwt-secret-that-must-never-be-printed-0000';
const DB_PASSWORD = 'db-password-never-printed';
const MASTER = randomBytes(32).toString('base64');

async function run(entry: string[], env: Record<string, string>, args: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // only what the test gives: the developer's own environment must not decide the outcome
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot(), ...entry), ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

const GATEWAY = ['gateway', 'src', 'main.ts'];
const VERIFICATION = ['services', 'verification', 'src', 'main.ts'];
const RELAY = ['services', 'relay', 'src', 'main.ts'];
const SERVICE_ENV = {
  DATABASE_URL: `postgres://lapor:${DB_PASSWORD}@127.0.0.1:1/lapor`,
  LAPOR_JWT_SECRET: SECRET,
  LAPOR_KEY_DIR: '/nonexistent/keys',
  LAPOR_MASTER_KEY: MASTER,
};

describe('configuration checked at start', () => {
  it('given a bad PORT and a short token secret, then the gateway stops with exit 2 and one line naming both', async () => {
    const { code, stderr } = await run(GATEWAY, { PORT: 'eighty', LAPOR_JWT_SECRET: 'short' });
    expect(code).toBe(2);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^gateway: invalid configuration: .*PORT: .*LAPOR_JWT_SECRET: /);
    expect(stderr).not.toContain('short');
  }, 60_000);

  it('given a service without its token secret, then it stops with exit 2 naming LAPOR_JWT_SECRET', async () => {
    const { LAPOR_JWT_SECRET: _left, ...withoutSecret } = SERVICE_ENV;
    const { code, stderr } = await run(VERIFICATION, withoutSecret);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^verification: invalid configuration: LAPOR_JWT_SECRET: /)]);
  }, 60_000);

  it('given --print-config, then the gateway, a service and the relay print their settings with secrets masked and exit 0', async () => {
    for (const [entry, name, env] of [
      [GATEWAY, 'gateway', { ...SERVICE_ENV, LAPOR_FIRST_ADMIN_PASSWORD: 'first-admin-password' }],
      [VERIFICATION, 'verification', SERVICE_ENV],
      [RELAY, 'relay', { DATABASE_URL: SERVICE_ENV.DATABASE_URL, KAFKA_BROKERS: '127.0.0.1:1' }],
    ] as const) {
      const { code, stdout } = await run(entry, env, ['--print-config']);
      expect({ name, code }).toEqual({ name, code: 0 });
      const printed = JSON.parse(stdout) as { process: string; settings: Record<string, unknown> };
      expect(printed.process).toBe(name);
      expect(JSON.stringify(printed)).toContain(`lapor:***@127.0.0.1:1/lapor`);
      for (const secret of [SECRET, DB_PASSWORD, MASTER, 'first-admin-password']) expect(stdout).not.toContain(secret);
    }
  }, 120_000);
});
