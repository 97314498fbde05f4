import { createLaporClient, type LaporClient, type LaporClientOptions } from '@lapor/api-client';
import { documentValidators } from './document-validators';

// The typed client catches drift at compile time (a route or field the committed document lacks);
// this catches it at run time: every answer the gateway gives is held against the document the same
// gateway serves. A status the operation does not declare, an error that is not problem+json, or a
// body its declared schema refuses makes the call throw, so the spec that made it fails there.

type Media = Record<string, { schema?: unknown }>;
type Operation = { responses: Record<string, { content?: Media; headers?: Record<string, unknown> }> };
type Document = { paths: Record<string, Record<string, Operation>>; components: Record<string, unknown> };

export interface DocumentedClients {
  /** A typed client whose every answer must match the live document. */
  client(options?: LaporClientOptions): LaporClient;
}

export async function documentedClients(baseUrl: string): Promise<DocumentedClients> {
  const document = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as Document;
  const { validatorFor, errorsText } = documentValidators(document.components, { allErrors: true });

  const check = async (method: string, template: string, response: Response): Promise<void> => {
    const operation = document.paths[template]?.[method.toLowerCase()];
    const said = `${method} ${template} answered ${response.status}`;
    if (!operation) throw new Error(`${method} ${template} is not in the document`);
    const status = String(response.status);
    const documented = operation.responses[status] ?? operation.responses[`${status[0]}XX`] ?? operation.responses.default;
    if (!documented) throw new Error(`${said}, which the document does not declare (${Object.keys(operation.responses).join(', ')})`);
    const type = response.headers.get('content-type') ?? '';
    // Open311 answers its errors in its own JSON array (GeoReport v2); every other route speaks problem+json
    if (response.status >= 400 && !template.startsWith('/open311/') && !type.startsWith('application/problem+json')) {
      throw new Error(`${said} as ${type}, not problem+json`);
    }
    const media = type.split(';')[0]!.trim();
    const schema = documented.content?.[media]?.schema;
    if (!/json/.test(media)) return;
    if (!documented.content?.[media]) throw new Error(`${said} as ${media}, which the document does not declare`);
    if (schema === undefined) return;
    const body = (await response.clone().json()) as unknown;
    const validate = validatorFor(`${method} ${template} ${status} ${media}`, schema);
    if (!validate(body)) throw new Error(`${said}; the body does not match the document: ${errorsText(validate)} ${JSON.stringify(body).slice(0, 300)}`);
  };

  return {
    client(options = {}) {
      const client = createLaporClient(baseUrl, options);
      client.use({
        async onResponse({ request, response, schemaPath }) {
          await check(request.method, schemaPath, response);
          return undefined;
        },
      });
      return client;
    },
  };
}
