import { DESTINATION_REFUSED } from './guarded-fetch';

// One HTTP attempt at a receiver, reduced to what is recorded: the status code, how long it took, and
// in a line an operator can act on, what went wrong.

export interface PostOutcome {
  readonly ok: boolean;
  readonly statusCode: number | null;
  readonly latencyMs: number;
  readonly error: string | null;
}

export type Fetch = typeof fetch;

// enough of a refusal's body to say why, never the whole of a large one
const BODY_READ_LIMIT = 16 * 1024;
const ERROR_EXCERPT = 200;

export async function postDelivery(fetchImpl: Fetch, url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<PostOutcome> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  try {
    const response = await fetchImpl(url, {
      method: 'POST',
      headers,
      body,
      // a redirect is not followed: it could lead a signed complaint anywhere
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await readCapped(response);
    const ok = response.status >= 200 && response.status < 300;
    const excerpt = text.replace(/\s+/g, ' ').trim().slice(0, ERROR_EXCERPT);
    return {
      ok,
      statusCode: response.status,
      latencyMs: elapsed(),
      error: ok
        ? null
        : `HTTP ${response.status}${response.status >= 300 && response.status < 400 ? ' (redirects are not followed)' : ''}${excerpt ? `: ${excerpt}` : ''}`,
    };
  } catch (error) {
    return { ok: false, statusCode: null, latencyMs: elapsed(), error: describeFailure(error, timeoutMs) };
  }
}

/** The body as text, at most BODY_READ_LIMIT bytes of it; read so the connection can be kept. */
async function readCapped(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= BODY_READ_LIMIT) {
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * What went wrong, in classes that say nothing of the remote: "connection refused" against "no
 * answer" would tell whoever subscribed which ports are open on the host they named.
 */
function describeFailure(error: unknown, timeoutMs: number): string {
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  if (cause?.code === DESTINATION_REFUSED) return `destination refused: ${cause.message ?? 'not a public address'}`;
  if (cause?.code === 'ENOTFOUND' || cause?.code === 'EAI_AGAIN') return 'delivery failed: the host name did not resolve';
  // refused, reset, TLS refused or too slow: one class, whatever the host did
  return `delivery failed: no HTTP answer (the connection failed, or took longer than ${timeoutMs} ms)`;
}
