import { createServer, type Server } from 'node:http';

/** One span as an OTLP/HTTP JSON export carries it, with the name of the process that sent it. */
export interface ReceivedSpan {
  readonly service: string;
  readonly name: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  /** The spans this one is linked to (a page's apply, to each event's trace). */
  readonly links: ReadonlyArray<{ readonly traceId: string; readonly spanId: string }>;
}

interface AnyValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
}
interface KeyValue {
  key: string;
  value: AnyValue;
}
interface ExportRequest {
  resourceSpans?: Array<{
    resource?: { attributes?: KeyValue[] };
    scopeSpans?: Array<{
      spans?: Array<{
        name: string;
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        attributes?: KeyValue[];
        links?: Array<{ traceId: string; spanId: string }>;
      }>;
    }>;
  }>;
}

// OTLP JSON may write an int64 as a string: read as a number either way
const valueOf = (value: AnyValue): unknown => value.stringValue ?? (value.intValue === undefined ? value.boolValue : Number(value.intValue));
const attributesOf = (list: KeyValue[] | undefined): Record<string, unknown> => Object.fromEntries((list ?? []).map(({ key, value }) => [key, valueOf(value)]));

/**
 * A collector as small as a test needs: POST /v1/traces with the JSON encoding of OTLP, each span
 * kept with its process's service.name; `waitFor` polls (bounded) for the spans a test asserts,
 * since processes export in batches after the request has long been answered.
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  private server: Server | undefined;

  async listen(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (request.url === '/v1/traces' && (request.headers['content-type'] ?? '').startsWith('application/json')) {
          const body = JSON.parse(Buffer.concat(chunks).toString()) as ExportRequest;
          for (const resourceSpans of body.resourceSpans ?? []) {
            const service = String(attributesOf(resourceSpans.resource?.attributes)['service.name']);
            for (const scope of resourceSpans.scopeSpans ?? [])
              for (const span of scope.spans ?? [])
                this.spans.push({
                  service,
                  name: span.name,
                  traceId: span.traceId,
                  spanId: span.spanId,
                  parentSpanId: span.parentSpanId ?? '',
                  attributes: attributesOf(span.attributes),
                  links: (span.links ?? []).map(({ traceId, spanId }) => ({ traceId, spanId })),
                });
          }
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (!address || typeof address !== 'object') throw new Error('the receiver has no address');
    return `http://127.0.0.1:${address.port}`;
  }

  /** The first span matching, once it has arrived; throws after `timeoutMs` naming what did arrive. */
  async waitFor(description: string, matches: (span: ReceivedSpan) => boolean, timeoutMs = 60_000): Promise<ReceivedSpan> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.spans.find(matches);
      if (found) return found;
      if (Date.now() > deadline) {
        const seen = this.spans.map((span) => `${span.service}: ${span.name}`).join(', ');
        throw new Error(`no span ${description} arrived; received: ${seen || 'none'}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
