import type { FastifySchemaCompiler } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

// Text PostgreSQL cannot store: a NUL character (text columns refuse it) and a lone UTF-16
// surrogate (no UTF-8 encoding exists). Fuzzing found either one, in any free-text field, reaching
// the database and answering 500. Every request part (body, query, params, headers) is checked
// here, before its own schema, so no route can forget it and the refusal names the field.

const NUL = '\u0000';
// a high surrogate not followed by a low one, or a low one not preceded by a high one
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why this text cannot be stored, or null when it can. */
export function unstorableText(value: string): string | null {
  if (value.includes(NUL)) return 'must not contain the NUL character (\\u0000)';
  if (LONE_SURROGATE.test(value)) return 'must be well-formed Unicode (a lone surrogate such as \\ud800 is not)';
  return null;
}

const StorableText = z.unknown().superRefine((data, check) => {
  const visit = (value: unknown, path: PropertyKey[]): void => {
    if (typeof value === 'string') {
      const problem = unstorableText(value);
      if (problem) check.addIssue({ code: 'custom', path, message: problem, input: value });
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, [...path, index]));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        const problem = unstorableText(key);
        if (problem) check.addIssue({ code: 'custom', path: [...path, key], message: `its name ${problem}`, input: key });
        else visit(item, [...path, key]);
      }
    }
  };
  visit(data, []);
});

/**
 * fastify-type-provider-zod's validator with the storable-text check first: a part with such text is
 * refused with that field alone (its own schema is not run), every other part as before.
 */
export const storableTextValidatorCompiler: FastifySchemaCompiler<z.ZodType> = (route) =>
  validatorCompiler({ ...route, schema: route.schema instanceof z.ZodType ? StorableText.pipe(route.schema) : route.schema });
