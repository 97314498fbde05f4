import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake SMS provider received, and what it answered. */
export interface ProviderRequest {
  readonly headers: IncomingHttpHeaders;
  readonly body: { reference: string; from: string; to: string; text: string; encoding: string; parts: string[] };
  /** 0: never answered. */
  readonly status: number;
}

/**
 * An SMS provider's send endpoint on a real port: it records every request and answers 200, or 500
 * while it is "down", or 400 for numbers it refuses. No mocked function: the service talks HTTP to it.
 */
export class FakeSmsProvider {
  readonly requests: ProviderRequest[] = [];
  private server: Server | undefined;
  private failuresLeft = 0;
  private hangsLeft = 0;
  private downUntil = 0;
  private readonly refused = new Set<string>();
  url = '';

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ProviderRequest['body'];
        if (this.hangsLeft > 0) {
          // took the request and never answers: the sender's timeout must give up on it
          this.hangsLeft--;
          this.requests.push({ headers: request.headers, body, status: 0 });
          return;
        }
        let status = 200;
        if (this.failuresLeft > 0 || Date.now() < this.downUntil) {
          this.failuresLeft = Math.max(0, this.failuresLeft - 1);
          status = 500;
        } else if (this.refused.has(body.to)) status = 400;
        this.requests.push({ headers: request.headers, body, status });
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(
          status === 200
            ? JSON.stringify({ id: `prov-${this.requests.length}` })
            : JSON.stringify({ error: status === 400 ? `invalid destination ${body.to}` : 'upstream unavailable' }),
        );
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/send`;
    return this;
  }

  /** Answer 500 to the next `count` requests. */
  failNext(count: number): void {
    this.failuresLeft = count;
  }

  /** Never answer the next `count` requests. */
  hangNext(count: number): void {
    this.hangsLeft = count;
  }

  /** Answer 500 to everything for `ms`. */
  downFor(ms: number): void {
    this.downUntil = Date.now() + ms;
  }

  /** Answer 400 (a number the provider cannot deliver to) for this E.164 number. */
  refuse(to: string): void {
    this.refused.add(to);
  }

  /** The messages it took (2xx), in order. */
  get delivered(): ProviderRequest['body'][] {
    return this.requests.filter((request) => request.status === 200).map((request) => request.body);
  }

  deliveredTo(to: string): ProviderRequest['body'][] {
    return this.delivered.filter((body) => body.to === to);
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
