// `pnpm bench:dashboard`: the dashboard's first paint on a national-scale recap. LAPOR_BENCH_COMPLAINTS
// complaints (default 100,000) received this year over the provincial tree, written through the decider
// one complaint per transaction (the statistics bench's fill: no long transaction holds back the
// cluster's snapshot horizon); the gateway started on that database catches its statistics up; then
// Debian's Chromium (infra/chromium.sh) opens /dashboard, and the figures are the browser's own
// performance timing, as in gateway/test/dashboard.e2e.spec.ts: first contentful paint of the sign-in
// page, and sign-in to the recap table of Admin Nasional (every province a row). The demo data's figure
// (the browser test, same machine, same run of the page) is the baseline to read it against. The
// database is dropped at the end.
import { loadCalendar } from '@lapor/calendar';
import { buildGateway } from '@lapor/gateway';
import { openServerStores } from '@lapor/http-kit';
import { masterKey } from '@lapor/personal-data';
import { STATISTICS_SCHEMA } from '@lapor/statistics';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import puppeteer from 'puppeteer-core';
import { createBenchDatabase } from '../database';
import { fillComplaints } from '../statistics/fill';
import { benchOrganisation } from '../statistics/organisation';
import { WorkingTime } from '../statistics/working-time';

const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const COMPLAINTS = Number(process.env.LAPOR_BENCH_COMPLAINTS ?? 100_000);
const ROOT = join(__dirname, '..', '..', '..', '..');
const PASSWORD = 'bench-dashboard-password';
const SEED = 20_261_204;
// Every complaint received this year, before now: the dashboard opens on this year's recap.
const YEAR = new Date().getFullYear();
const START = Date.parse(`${YEAR}-01-01T00:00:00+07:00`);
const HORIZON = Date.now() - 86_400_000;

const count = (n: number): string => n.toLocaleString('en-US');
const load = (): string =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

async function projected(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const rows = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${STATISTICS_SCHEMA}.complaint_facts`).catch(() => ({ rows: [{ n: '0' }] }));
    return Number(rows.rows[0]!.n);
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  execFileSync('pnpm', ['--filter', '@lapor/dashboard', 'build'], { cwd: ROOT, stdio: 'ignore' });
  const executablePath = execFileSync('bash', [join(ROOT, 'infra', 'chromium.sh')], { encoding: 'utf8' }).trim();
  const org = benchOrganisation();
  const chronology = { org, time: new WorkingTime(loadCalendar(), `${YEAR - 1}-12-01`, `${YEAR}-12-31`), seed: SEED, start: START, horizon: HORIZON };
  const database = await createBenchDatabase(SERVER, 'dashboard');
  console.log(`bench database ${new URL(database.url).pathname.slice(1)}; ${count(COMPLAINTS)} complaints over ${org.units} units; load ${load()}`);
  try {
    const filled = await fillComplaints(database.url, COMPLAINTS, chronology, (done, events) =>
      console.log(`  appended ${count(done)} complaints (${count(events)} events)`),
    );
    console.log(`filled: ${count(filled.events)} events in ${filled.seconds.toFixed(0)} s; load ${load()}`);

    const stores = await openServerStores({ connectionString: database.url, masterKey: masterKey(randomBytes(32)) });
    const gateway = await buildGateway({
      ...stores,
      jwtSecret: randomBytes(24).toString('hex'),
      seedOrganisation: org.tree.nodes,
      seedAccounts: [{ username: 'admin-nasional', role: 'admin_nasional', nodeId: 'nasional', password: PASSWORD }],
    });
    try {
      const base = await gateway.app.listen({ port: 0, host: '127.0.0.1' });
      const caughtUp = performance.now();
      // the statistics projection follows the log in the gateway: measure once every complaint is a fact
      for (let facts = 0; facts < COMPLAINTS; facts = await projected(database.url)) {
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        console.log(`  statistics: ${count(facts)} complaints projected`);
      }
      console.log(`statistics caught up in ${((performance.now() - caughtUp) / 1000).toFixed(0)} s; load ${load()}`);

      const browser = await puppeteer.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage', '--lang=id-ID'] });
      try {
        for (let run = 1; run <= 3; run++) {
          const page = await browser.newPage();
          await page.setViewport({ width: 1280, height: 860 });
          await page.goto(`${base}/dashboard/`, { waitUntil: 'load' });
          await page.waitForSelector('input[name=username]');
          const paint = (await page.evaluate(`performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1`)) as number;
          await page.type('input[name=username]', 'admin-nasional');
          await page.type('input[name=password]', PASSWORD);
          const before = (await page.evaluate('performance.now()')) as number;
          await page.click('form button[type=submit]');
          await page.waitForSelector('table.recap tfoot', { timeout: 120_000 });
          const recapShown = ((await page.evaluate('performance.now()')) as number) - before;
          const total = await page.$eval('tfoot [data-col="total"]', (cell) => cell.textContent?.trim());
          const rows = await page.$$eval('table.recap tbody tr', (found) => found.length);
          console.log(
            `[dashboard ${count(COMPLAINTS)}] run ${run}: first contentful paint ${paint.toFixed(0)} ms; sign-in to recap table ${recapShown.toFixed(0)} ms (${rows} rows, total ${total}); load ${load()}`,
          );
          await page.close();
        }
      } finally {
        await browser.close();
      }
    } finally {
      await gateway.app.close();
      await stores.close();
    }
  } finally {
    await database.drop();
    console.log('bench database dropped');
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
