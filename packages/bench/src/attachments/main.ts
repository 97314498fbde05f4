// `pnpm bench:attachments`: a 10 MB file uploaded with a submission through the gateway (streamed,
// sealed chunk by chunk into PostgreSQL) and downloaded again, next to writing and reading the same
// bytes to a local file; then 16 clients uploading at once while the gateway's resident memory is
// sampled. The gateway runs in a process of its own on a fresh database (dropped afterwards).
// Writes results/attachments.md.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createBenchDatabase } from '../database';
import { machine, table, type Row } from '../report';

const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MB = 1024 * 1024;
const SIZE = Number(process.env.LAPOR_BENCH_ATTACHMENT_MB ?? 10) * MB;
const ROUNDS = Number(process.env.LAPOR_BENCH_ATTACHMENT_ROUNDS ?? 5);
const CLIENTS = Number(process.env.LAPOR_BENCH_ATTACHMENT_CLIENTS ?? 16);

const FILE = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(SIZE - 4)]);
const COMMAND = JSON.stringify({ kind: 'pengaduan', channel: 'web', title: 'Foto jalan', description: 'Lampiran besar', addressedTo: 'pemprov-ntt' });

async function upload(base: string): Promise<{ complaintId: string; reporterSecret: string; id: string }> {
  const form = new FormData();
  form.append('command', COMMAND);
  form.append('files', new Blob([FILE]), 'foto.jpg');
  const response = await fetch(`${base}/complaints`, { method: 'POST', body: form });
  const body = (await response.json()) as { complaintId: string; reporterSecret: string; attachments?: Array<{ id: string }> };
  if (response.status !== 201 || !body.attachments) throw new Error(`upload: ${response.status} ${JSON.stringify(body)}`);
  return { complaintId: body.complaintId, reporterSecret: body.reporterSecret, id: body.attachments[0]!.id };
}

async function download(base: string, file: { complaintId: string; reporterSecret: string; id: string }): Promise<void> {
  const response = await fetch(`${base}/complaints/${file.complaintId}/attachments/${file.id}`, { headers: { 'x-reporter-secret': file.reporterSecret } });
  const bytes = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200 || bytes.length !== SIZE) throw new Error(`download: ${response.status}, ${bytes.length} bytes`);
}

const rssMb = async (pid: number): Promise<number> => Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const mbPerSecond = (bytes: number, ms: number) => (bytes / MB / (ms / 1000)).toFixed(0);

async function seconds(work: () => Promise<unknown>): Promise<number> {
  const at = performance.now();
  await work();
  return performance.now() - at;
}

async function main(): Promise<void> {
  const bench = await createBenchDatabase(SERVER, 'attachments');
  const client = new Client({ connectionString: bench.url });
  await client.connect();
  const version = (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
  await client.end();
  const server = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'server.ts'), bench.url], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, LOG_LEVEL: 'warn', LAPOR_ATTACHMENT_MAX_FILE_BYTES: String(SIZE + MB), LAPOR_ATTACHMENT_MAX_COMPLAINT_BYTES: String(SIZE + MB) },
  });
  const rows: Row[] = [];
  try {
    const base = await new Promise<string>((resolve, reject) => {
      server.stdout.on('data', (data: Buffer) => {
        const ready = /ready (\S+)/.exec(data.toString());
        if (ready) resolve(ready[1]!);
      });
      server.once('exit', (code) => reject(new Error(`server exited ${code}`)));
    });
    const local = join(tmpdir(), `lapor-bench-${randomBytes(4).toString('hex')}`);
    await upload(base); // warm-up
    let uploadMs = 0;
    let downloadMs = 0;
    let writeMs = 0;
    let readMs = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      let file: Awaited<ReturnType<typeof upload>> | undefined;
      uploadMs += await seconds(async () => (file = await upload(base)));
      downloadMs += await seconds(() => download(base, file!));
      writeMs += await seconds(() => writeFile(local, FILE));
      readMs += await seconds(() => readFile(local));
    }
    await rm(local, { force: true });
    const bytes = SIZE * ROUNDS;
    rows.push({
      case: `upload ${SIZE / MB} MB with a submission through the gateway (${ROUNDS}×)`,
      figure: `${mbPerSecond(bytes, uploadMs)} MB/s`,
      ratio: `${(writeMs / uploadMs).toFixed(3)}× local write`,
    });
    rows.push({
      case: `download it as the reporter (${ROUNDS}×)`,
      figure: `${mbPerSecond(bytes, downloadMs)} MB/s`,
      ratio: `${(readMs / downloadMs).toFixed(3)}× local read`,
    });
    rows.push({ case: 'baseline: write the same bytes to a local file', figure: `${mbPerSecond(bytes, writeMs)} MB/s` });
    rows.push({ case: 'baseline: read them back', figure: `${mbPerSecond(bytes, readMs)} MB/s` });

    const idle = await rssMb(server.pid!);
    let peak = idle;
    const sampler = setInterval(() => {
      rssMb(server.pid!).then(
        (mb) => (peak = Math.max(peak, mb)),
        () => undefined,
      );
    }, 50);
    const concurrentMs = await seconds(() => Promise.all(Array.from({ length: CLIENTS }, () => upload(base))));
    clearInterval(sampler);
    rows.push({
      case: `${CLIENTS} clients uploading ${SIZE / MB} MB each at once`,
      figure: `${mbPerSecond(SIZE * CLIENTS, concurrentMs)} MB/s in all; gateway RSS ${idle.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB (${CLIENTS * (SIZE / MB)} MB in flight)`,
    });
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    await bench.drop();
  }
  for (const row of rows) console.log([row.case, row.figure, row.ratio].filter(Boolean).join('  '));
  const report = [
    '# Attachments benchmark',
    '',
    'Produced by `pnpm bench:attachments`: the gateway in a process of its own on a fresh PostgreSQL database, files in the database store (256 KiB chunks, each sealed with AES-256-GCM), client and server on one machine over loopback. The machine is shared: figures move with its load, the ratios less.',
    '',
    machine(version),
    '',
    table(rows),
    '',
  ].join('\n');
  await writeFile(join(__dirname, '..', '..', 'results', 'attachments.md'), report);
  console.log('\nwritten to packages/bench/results/attachments.md');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
