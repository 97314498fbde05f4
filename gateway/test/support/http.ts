/** A tiny client for the gateway over real HTTP, as an agency system or a dashboard calls it. */
export interface Answer<Body = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Body;
}

export function httpClient(baseUrl: string) {
  const call = async <Body = Record<string, unknown>>(
    method: string,
    path: string,
    options: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
  ): Promise<Answer<Body>> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as Body };
  };
  return {
    get: <Body = Record<string, unknown>>(path: string, options?: { token?: string; headers?: Record<string, string> }) => call<Body>('GET', path, options),
    post: <Body = Record<string, unknown>>(path: string, body: unknown, options?: { token?: string; headers?: Record<string, string> }) =>
      call<Body>('POST', path, { ...options, body }),
    put: <Body = Record<string, unknown>>(path: string, body: unknown, options?: { token?: string; headers?: Record<string, string> }) =>
      call<Body>('PUT', path, { ...options, body }),
    async token(username: string, password: string): Promise<string> {
      const answer = await call<{ accessToken: string }>('POST', '/auth/token', { body: { username, password } });
      if (answer.status !== 200) throw new Error(`sign-in as ${username}: ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body.accessToken;
    },
  };
}
export type HttpClient = ReturnType<typeof httpClient>;
