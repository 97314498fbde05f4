import type { OutboundConfig } from '../config';
import type { E164 } from '../phone/e164';
import type { SmsEncoding } from '../segments/segment';

/** One SMS as the provider gets it: already split into the parts the handset joins again. */
export interface OutgoingSms {
  /** Ours, the same on every attempt: a provider that keeps it drops our retries of a message it took. */
  readonly reference: string;
  readonly to: E164;
  readonly text: string;
  readonly encoding: SmsEncoding;
  readonly parts: readonly string[];
}

export type SendOutcome =
  | { readonly outcome: 'sent'; readonly providerReference: string | null }
  /** Not taken now (5xx, 429, timeout, no connection): try again later. */
  | { readonly outcome: 'retry'; readonly reason: string }
  /** Refused for good (4xx): retrying would be refused again. */
  | { readonly outcome: 'rejected'; readonly reason: string };

/** The outbound provider port. */
export interface SmsSender {
  send(message: OutgoingSms): Promise<SendOutcome>;
}

/** What a provider's error text may hold of the number it could not reach: never kept, never logged. */
export const withoutNumbers = (text: string): string => text.replace(/\+?\d[\d\s-]{6,}\d/g, '[number]');

const RETRYABLE = new Set([408, 425, 429]);

/**
 * The provider over HTTP: `POST <url>` with `{ reference, from, to, text, encoding, parts }`,
 * `Idempotency-Key: <reference>`, and a bearer token when configured. 2xx is sent; 5xx, 408, 425
 * and 429, a timeout or a refused connection are tried again later; any other 4xx is final.
 */
export class HttpSmsSender implements SmsSender {
  constructor(private readonly config: OutboundConfig) {}

  async send(message: OutgoingSms): Promise<SendOutcome> {
    let response: Response;
    try {
      response = await fetch(this.config.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': message.reference,
          ...(this.config.token ? { authorization: `Bearer ${this.config.token}` } : {}),
        },
        body: JSON.stringify({
          reference: message.reference,
          from: this.config.from,
          to: message.to,
          text: message.text,
          encoding: message.encoding,
          parts: message.parts,
        }),
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
    } catch (error) {
      const name = (error as Error).name;
      const reason = name === 'TimeoutError' ? `no answer within ${this.config.timeoutMs} ms` : `not reachable: ${(error as Error).message}`;
      return { outcome: 'retry', reason };
    }
    const body = await response.text().catch(() => '');
    if (response.ok) return { outcome: 'sent', providerReference: referenceIn(body) };
    const reason = withoutNumbers(`HTTP ${response.status}${body ? `: ${body.slice(0, 300)}` : ''}`);
    return response.status >= 500 || RETRYABLE.has(response.status) ? { outcome: 'retry', reason } : { outcome: 'rejected', reason };
  }
}

/** The provider's own id for the message, when its answer names one. */
function referenceIn(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    const id = parsed.id ?? parsed.messageId ?? parsed.reference;
    return typeof id === 'string' || typeof id === 'number' ? String(id).slice(0, 200) : null;
  } catch {
    return null;
  }
}
