import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';

/** Who the mix acts as: an agency system's key submits, the instansi's admin verifies and disposes, the unit's liaison follows up. */
export interface Actors {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly adminToken: string;
  readonly liaisonToken: string;
  readonly unit: string;
}

export interface StepResult {
  readonly complaintsPerSecond: number;
  readonly started: number;
  readonly completed: number;
  /** Flows not started on time because too many were still in flight: the system did not keep up. */
  readonly skipped: number;
  readonly writes: number;
  readonly failures: number;
  readonly failureStatuses: Record<string, number>;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

// The load generator shares the machine's two cores with the set it measures: node:http over
// kept-alive connections, not fetch, whose WHATWG streams made the client cost 10.6 % of a core at
// 40 complaints/s, against 6 % now (the same machine, one run each).
const agent = new Agent({ keepAlive: true, maxSockets: 512 });

function call(url: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; json: unknown; ms: number }> {
  const started = performance.now();
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const sent = request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          let json: unknown;
          try {
            json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            json = undefined;
          }
          resolve({ status: response.statusCode ?? 0, json, ms: performance.now() - started });
        });
      },
    );
    sent.on('error', reject);
    sent.end(payload);
  });
}

export async function token(baseUrl: string, username: string, password: string): Promise<string> {
  const answer = await call(`${baseUrl}/auth/token`, { username, password }, {});
  if (answer.status !== 200) throw new Error(`sign-in as ${username} answered ${answer.status}: ${JSON.stringify(answer.json)}`);
  return (answer.json as { accessToken: string }).accessToken;
}

export async function issueApiKey(baseUrl: string, adminToken: string, instansiId: string): Promise<string> {
  const answer = await call(
    `${baseUrl}/api-keys`,
    { name: 'bench agency system', instansiId, channels: ['integration'] },
    { authorization: `Bearer ${adminToken}` },
  );
  if (answer.status !== 201) throw new Error(`issuing an API key answered ${answer.status}: ${JSON.stringify(answer.json)}`);
  return (answer.json as { key: string }).key;
}

/** Submits one complaint as the agency system; its id, for the steps that follow. */
export async function submit(actors: Actors, latencies?: number[]): Promise<{ status: number; complaintId?: string }> {
  const reference = randomUUID();
  const answer = await call(
    `${actors.baseUrl}/complaints`,
    { kind: 'pengaduan', channel: 'integration', title: 'Jalan berlubang', description: `Laporan sistem daerah ${reference}`, externalReference: reference },
    { 'x-api-key': actors.apiKey, 'idempotency-key': reference },
  );
  latencies?.push(answer.ms);
  return { status: answer.status, complaintId: (answer.json as { complaintId?: string } | undefined)?.complaintId };
}

export const verify = (actors: Actors, complaintId: string) =>
  call(
    `${actors.baseUrl}/complaints/${complaintId}/verification`,
    { slaClass: 'tanpa_pengawasan', category: 'perbaikan-jalan' },
    { authorization: `Bearer ${actors.adminToken}` },
  );

/**
 * One complaint's life as the steady mix has it: submit, verify, dispose to the unit, follow up: four
 * writes, each through the gateway to the service that owns it. Each write's latency is recorded; a
 * write that fails ends the flow.
 */
async function flow(actors: Actors, latencies: number[], failures: Map<string, number>): Promise<boolean> {
  const fail = (step: string, status: number): false => {
    const key = `${step} ${status}`;
    failures.set(key, (failures.get(key) ?? 0) + 1);
    return false;
  };
  const submitted = await submit(actors, latencies);
  if (submitted.status !== 201 || !submitted.complaintId) return fail('submit', submitted.status);
  const id = submitted.complaintId;
  const admin = { authorization: `Bearer ${actors.adminToken}` };
  const steps: Array<[string, string, unknown, Record<string, string>]> = [
    ['verify', `/complaints/${id}/verification`, { slaClass: 'tanpa_pengawasan', category: 'perbaikan-jalan' }, admin],
    ['dispose', `/complaints/${id}/dispositions`, { to: actors.unit }, admin],
    ['follow-up', `/complaints/${id}/follow-ups`, { message: 'Tim teknis meninjau lokasi.' }, { authorization: `Bearer ${actors.liaisonToken}` }],
  ];
  for (const [step, path, body, headers] of steps) {
    const answer = await call(`${actors.baseUrl}${path}`, body, headers);
    latencies.push(answer.ms);
    if (answer.status !== 200) return fail(step, answer.status);
  }
  return true;
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/**
 * The mix at a fixed rate of new complaints for `seconds`, open loop: a complaint starts on its
 * schedule whether or not earlier ones have finished (a closed loop would slow down with the system
 * and hide its latency), up to `maxInFlight` flows at once; one that cannot start is counted skipped.
 */
export async function runStep(actors: Actors, complaintsPerSecond: number, seconds: number, maxInFlight = 500): Promise<StepResult> {
  const latencies: number[] = [];
  const failures = new Map<string, number>();
  const flows: Promise<void>[] = [];
  let inFlight = 0;
  let started = 0;
  let completed = 0;
  let skipped = 0;
  const begin = performance.now();
  const total = Math.round(complaintsPerSecond * seconds);
  for (let index = 0; index < total; index++) {
    const due = begin + (index * 1000) / complaintsPerSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (inFlight >= maxInFlight) {
      skipped++;
      continue;
    }
    inFlight++;
    started++;
    flows.push(
      flow(actors, latencies, failures)
        .then(
          (ok) => void (ok && completed++),
          () => void failures.set('network', (failures.get('network') ?? 0) + 1),
        )
        .finally(() => inFlight--),
    );
  }
  await Promise.all(flows);
  // a step with no load still lasts its length: what the set costs idle is measured over it
  const left = begin + seconds * 1000 - performance.now();
  if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
  const sorted = latencies.sort((a, b) => a - b);
  return {
    complaintsPerSecond,
    started,
    completed,
    skipped,
    writes: latencies.length,
    failures: [...failures.values()].reduce((sum, count) => sum + count, 0),
    failureStatuses: Object.fromEntries(failures),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? 0,
  };
}
