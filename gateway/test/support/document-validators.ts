import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/**
 * Validators for schemas taken from an OpenAPI document, their `#/components/…` references resolved
 * against that document's components. One compile per key: a response schema is met again and again.
 */
export interface DocumentValidators {
  /** The validator for `schema`, compiled once under `key`. */
  validatorFor(key: string, schema: unknown): ValidateFunction;
  errorsText(validate: ValidateFunction): string;
}

export function documentValidators(components: unknown, options: { allErrors: boolean }): DocumentValidators {
  const ajv = new Ajv2020({ strict: false, allErrors: options.allErrors, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'lapor:document', components });
  const validators = new Map<string, ValidateFunction>();
  return {
    validatorFor(key, schema) {
      let validate = validators.get(key);
      if (!validate) {
        validate = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"lapor:document#/components/')) as object);
        validators.set(key, validate);
      }
      return validate;
    },
    errorsText: (validate) => ajv.errorsText(validate.errors),
  };
}
