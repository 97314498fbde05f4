// The typed LAPOR! client. Types come from openapi/openapi.yaml (generated/openapi.ts, rewritten by
// `pnpm openapi`); calls go through openapi-fetch over the platform's fetch, so this entry runs in
// Node 24 and in a browser bundle alike: nothing here may import a Node module.
import createClient, { type Client, type ClientOptions, type Middleware } from 'openapi-fetch';
import type { components, operations, paths, webhooks } from './generated/openapi';

export type { components, operations, paths, webhooks };

/** A named schema of the document: `Schema<'Complaint'>`. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];

export type LaporClient = Client<paths>;

export interface LaporClientOptions {
  /** A staff token (POST /auth/token), or a function read before every call (tokens are renewed). */
  token?: string | (() => string | undefined);
  /** An integrating system's key (x-api-key). */
  apiKey?: string;
  /** A citizen's secret for their own complaint (x-reporter-secret), returned once on submission. */
  reporterSecret?: string;
  /** Headers sent with every call (Accept-Language, for one). */
  headers?: Record<string, string>;
  /** Another fetch (a test's, a proxy's); the global one by default. */
  fetch?: ClientOptions['fetch'];
}

/** A client for the API at `baseUrl` (e.g. `https://lapor.example.go.id` or `/api` in a browser). */
export function createLaporClient(baseUrl: string, options: LaporClientOptions = {}): LaporClient {
  const client = createClient<paths>({
    baseUrl,
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  client.use(credentials(options));
  return client;
}

function credentials(options: LaporClientOptions): Middleware {
  return {
    onRequest({ request }) {
      const token = typeof options.token === 'function' ? options.token() : options.token;
      if (token !== undefined && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${token}`);
      if (options.apiKey !== undefined && !request.headers.has('x-api-key')) request.headers.set('x-api-key', options.apiKey);
      if (options.reporterSecret !== undefined && !request.headers.has('x-reporter-secret')) request.headers.set('x-reporter-secret', options.reporterSecret);
      return request;
    },
  };
}
