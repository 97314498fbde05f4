// `pnpm bench:sign-in`: POST /auth/token on the embedded gateway (argon2id at the chosen cost), next
// to bare Fastify routes that verify one password the same way (argon2id at the chosen cost, at RFC
// 9106's heavier choice, and scrypt as the first version stored them) and one that verifies
// nothing, in the same run. Writes results/sign-in.md.
import { ARGON2ID_COST, hashPassword, legacyScryptHash, passwordMatches, type Argon2Cost } from '@lapor/accounts';
import { buildGateway } from '@lapor/gateway';
import { openEmbeddedStores } from '@lapor/http-kit';
import { masterKey } from '@lapor/personal-data';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { machine, rate, ratio, table, type Row } from '../report';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const PASSWORD = 'bench-sign-in-password';
const BODY = JSON.stringify({ username: 'admin-ntt', password: PASSWORD });
/** RFC 9106's second recommended option (64 MiB, 3 passes, 4 lanes): what the chosen cost is weighed against. */
const RFC_9106_SECOND: Argon2Cost = { memory: 65_536, passes: 3, parallelism: 4 };

async function measure(url: string) {
  const result = await autocannon({
    url,
    method: 'POST',
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: { 'content-type': 'application/json' },
    body: BODY,
  });
  return { perSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, failed: result.non2xx + result.errors };
}

/** A bare route doing nothing but `verify` per request. */
async function bareRoute(verify: () => Promise<boolean>): Promise<{ url: string; close: () => Promise<void> }> {
  const app = Fastify();
  app.post('/auth/token', async (_request, reply) => ((await verify()) ? { ok: true } : reply.code(401).send()));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: `${url}/auth/token`, close: () => app.close() };
}

async function main(): Promise<void> {
  const stores = await openEmbeddedStores({ masterKey: masterKey(randomBytes(32)) });
  const { app } = await buildGateway({
    ...stores,
    jwtSecret: 'bench-sign-in-secret-bench-sign-in-secret',
    seedOrganisation: [
      { kind: 'nasional', id: 'nasional', name: 'Nasional', parentId: null },
      { kind: 'instansi', id: 'pemprov-ntt', name: 'NTT', parentId: 'nasional', timeZone: 'Asia/Makassar' },
    ],
    seedAccounts: [{ username: 'admin-ntt', role: 'admin_instansi', nodeId: 'pemprov-ntt', password: PASSWORD }],
  });
  const gateway = `${await app.listen({ port: 0, host: '127.0.0.1' })}/auth/token`;
  const chosen = await hashPassword(PASSWORD);
  const heavier = await hashPassword(PASSWORD, RFC_9106_SECOND);
  const scrypt = await legacyScryptHash(PASSWORD);
  const bares = {
    nothing: await bareRoute(async () => true),
    chosen: await bareRoute(() => passwordMatches(PASSWORD, chosen)),
    heavier: await bareRoute(() => passwordMatches(PASSWORD, heavier)),
    scrypt: await bareRoute(() => passwordMatches(PASSWORD, scrypt)),
  };
  const rows: Row[] = [];
  const figure = (r: Awaited<ReturnType<typeof measure>>) =>
    `${rate(r.perSecond)} (p50 ${r.p50} ms, p99 ${r.p99} ms)${r.failed > 0 ? `, ${r.failed} failed` : ''}`;
  try {
    await measure(gateway); // warm-up
    rows.push({ case: 'bare route, no password check', figure: figure(await measure(bares.nothing.url)) });
    const scryptResult = await measure(bares.scrypt.url);
    rows.push({ case: `bare route, scrypt verify (N=16384, r=8, p=1: the first version's hashes)`, figure: figure(scryptResult) });
    const c = ARGON2ID_COST;
    for (const [name, url] of [
      [`bare route, argon2id verify, chosen cost (m=${c.memory} KiB, t=${c.passes}, p=${c.parallelism})`, bares.chosen.url],
      [`bare route, argon2id verify, RFC 9106 second option (m=65536 KiB, t=3, p=4)`, bares.heavier.url],
      ['POST /auth/token, embedded gateway (throttle, account read, argon2id at the chosen cost, sign-in event, JWT)', gateway],
    ] as const) {
      const result = await measure(url);
      rows.push({ case: name, figure: figure(result), ratio: `${ratio(result.perSecond, scryptResult.perSecond)} scrypt` });
      console.log(name, figure(result));
    }
  } finally {
    for (const bare of Object.values(bares)) await bare.close();
    await app.close();
    await stores.close();
  }
  const report = [
    '# Sign-in benchmark',
    '',
    `Produced by \`pnpm bench:sign-in\`: autocannon POSTs a right username and password, ${CONNECTIONS} connections, ${SECONDS} s a case, server and load in one process`,
    '(so absolute figures are low; compare the rows). The password hash runs on libuv’s thread pool (4 threads), which bounds sign-ins per process.',
    'The machine is shared and noisy: the load average below says how busy it was.',
    '',
    machine('PGlite (embedded)'),
    '',
    table(rows),
    '',
    'The decision: argon2id at OWASP’s first choice (19 MiB, 2 passes, 1 lane). Each sign-in costs tens of milliseconds of one pool thread and 19 MiB',
    'while it runs; RFC 9106’s heavier option costs several times as much per sign-in for a staff population that signs in a few times a day.',
    'Failed sign-ins are throttled per username and address before any hash is computed (sign-in-throttle.ts), so the cost is not an amplifier.',
    '',
  ].join('\n');
  await writeFile(join(__dirname, '..', '..', 'results', 'sign-in.md'), report);
  console.log('\nwritten to packages/bench/results/sign-in.md');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
