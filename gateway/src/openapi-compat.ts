// Breaking changes between two versions of the API document: what a client written against the
// older one would trip over in the newer. Pure: two parsed documents in, a list of findings out, each
// a stable sentence a changelog can declare (info.x-changelog) to let it through on purpose.

type Json = Record<string, unknown>;
type Side = 'request' | 'response';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/** The changelog entries of the document's own version: the breaking changes it declares. */
export function declaredBreaks(document: Json): Set<string> {
  const info = (document.info ?? {}) as Json;
  const changelog = (info['x-changelog'] ?? []) as { version?: string; breaking?: string[] }[];
  return new Set(changelog.filter((entry) => entry.version === info.version).flatMap((entry) => entry.breaking ?? []));
}

export function breakingChanges(older: Json, newer: Json): string[] {
  const found: string[] = [];
  const oldPaths = (older.paths ?? {}) as Record<string, Json>;
  const newPaths = (newer.paths ?? {}) as Record<string, Json>;
  for (const [path, oldItem] of Object.entries(oldPaths)) {
    for (const method of METHODS) {
      const oldOp = oldItem[method] as Json | undefined;
      if (!oldOp) continue;
      const where = `${method.toUpperCase()} ${path}`;
      const newOp = newPaths[path]?.[method] as Json | undefined;
      if (!newOp) {
        found.push(`${where}: operation removed`);
        continue;
      }
      compareParameters(where, oldOp, newOp, found);
      const oldBody = mediaSchemas((oldOp.requestBody as Json | undefined)?.content);
      const newBody = mediaSchemas((newOp.requestBody as Json | undefined)?.content);
      for (const [media, schema] of oldBody) {
        const next = newBody.get(media);
        if (next === undefined) found.push(`${where} body ${media}: media type removed`);
        else compareSchemas(`${where} body`, 'request', schema, next, older, newer, found, new Set());
      }
      const oldResponses = (oldOp.responses ?? {}) as Record<string, Json>;
      const newResponses = (newOp.responses ?? {}) as Record<string, Json>;
      for (const [status, response] of Object.entries(oldResponses)) {
        if (!status.startsWith('2')) continue;
        const next = newResponses[status];
        if (!next) {
          found.push(`${where} ${status}: response removed`);
          continue;
        }
        const nextMedia = mediaSchemas(next.content);
        for (const [media, schema] of mediaSchemas(response.content)) {
          const nextSchema = nextMedia.get(media);
          if (nextSchema === undefined) found.push(`${where} ${status} ${media}: media type removed`);
          else compareSchemas(`${where} ${status}`, 'response', schema, nextSchema, older, newer, found, new Set());
        }
      }
    }
  }
  return found;
}

function mediaSchemas(content: unknown): Map<string, Json> {
  return new Map(Object.entries((content ?? {}) as Record<string, { schema?: Json }>).map(([media, { schema }]) => [media, schema ?? {}]));
}

function compareParameters(where: string, oldOp: Json, newOp: Json, found: string[]): void {
  const key = (parameter: Json): string => `${String(parameter.in)}:${String(parameter.name).toLowerCase()}`;
  const oldParameters = new Map(((oldOp.parameters ?? []) as Json[]).map((parameter) => [key(parameter), parameter]));
  for (const parameter of (newOp.parameters ?? []) as Json[]) {
    const before = oldParameters.get(key(parameter));
    if (parameter.required === true && before?.required !== true) found.push(`${where} parameter ${key(parameter)}: made required`);
  }
}

function resolve(schema: Json, document: Json): Json {
  let current = schema;
  for (let hops = 0; typeof current.$ref === 'string' && hops < 20; hops += 1) {
    const name = current.$ref.replace('#/components/schemas/', '');
    current = ((document.components as Json | undefined)?.schemas as Record<string, Json> | undefined)?.[name] ?? {};
  }
  return current;
}

const typesOf = (schema: Json): Set<string> => {
  const type = schema.type;
  const types = new Set(Array.isArray(type) ? (type as string[]) : typeof type === 'string' ? [type] : []);
  if (types.has('number')) types.add('integer');
  return types;
};

function compareSchemas(where: string, side: Side, oldRaw: Json, newRaw: Json, older: Json, newer: Json, found: string[], seen: Set<string>): void {
  const visit = `${where}|${JSON.stringify(oldRaw).slice(0, 200)}`;
  if (seen.has(visit) || seen.size > 5_000) return;
  seen.add(visit);
  const oldSchema = resolve(oldRaw, older);
  const newSchema = resolve(newRaw, newer);
  // An object split into a union (one shape per kind): every branch must still be what the object was.
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const newBranches = newSchema[keyword] as Json[] | undefined;
    if (oldSchema[keyword] === undefined && oldSchema.properties !== undefined && newBranches && newSchema.properties === undefined) {
      newBranches.forEach((branch, index) => compareSchemas(`${where}<${keyword}${index}>`, side, oldRaw, branch, older, newer, found, seen));
      return;
    }
  }
  const oldTypes = typesOf(oldSchema);
  const newTypes = typesOf(newSchema);
  if (oldTypes.size > 0 && newTypes.size > 0) {
    for (const type of oldTypes) if (!newTypes.has(type)) found.push(`${where}: type ${type} narrowed away`);
  }
  if (Array.isArray(oldSchema.enum) && Array.isArray(newSchema.enum)) {
    for (const value of oldSchema.enum) if (!newSchema.enum.includes(value)) found.push(`${where}: enum value ${JSON.stringify(value)} removed`);
  } else if (!Array.isArray(oldSchema.enum) && Array.isArray(newSchema.enum) && side === 'request') found.push(`${where}: narrowed to an enum`);
  const oldProperties = (oldSchema.properties ?? {}) as Record<string, Json>;
  const newProperties = (newSchema.properties ?? {}) as Record<string, Json>;
  const oldRequired = new Set((oldSchema.required ?? []) as string[]);
  const newRequired = new Set((newSchema.required ?? []) as string[]);
  for (const [name, property] of Object.entries(oldProperties)) {
    const next = newProperties[name];
    if (next === undefined) found.push(`${where}.${name}: field removed`);
    else compareSchemas(`${where}.${name}`, side, property, next, older, newer, found, seen);
  }
  for (const name of newRequired) {
    if (side === 'request' && !oldRequired.has(name)) found.push(`${where}.${name}: field made required`);
  }
  for (const name of oldRequired) {
    if (side === 'response' && !newRequired.has(name) && name in newProperties) found.push(`${where}.${name}: field no longer always present`);
  }
  if (oldSchema.items && newSchema.items) compareSchemas(`${where}[]`, side, oldSchema.items as Json, newSchema.items as Json, older, newer, found, seen);
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const oldBranches = oldSchema[keyword] as Json[] | undefined;
    const newBranches = newSchema[keyword] as Json[] | undefined;
    if (oldBranches && newBranches && oldBranches.length === newBranches.length) {
      oldBranches.forEach((branch, index) => compareSchemas(`${where}<${keyword}${index}>`, side, branch, newBranches[index]!, older, newer, found, seen));
    } else if (oldBranches && newBranches && newBranches.length < oldBranches.length) found.push(`${where}: ${keyword} lost a branch`);
  }
}
