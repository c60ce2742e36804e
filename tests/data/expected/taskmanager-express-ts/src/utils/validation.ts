import Ajv from 'ajv';
import type { ErrorObject, SchemaObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FieldError } from './errors';

// What a custom endpoint's service function gets: the validated input and the caller.
export interface EndpointRequest {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: Record<string, unknown>;
  user?: { id: unknown; role?: unknown } | undefined;
}

// JSON bodies must match their schema's types exactly. `verbose` keeps each error's
// schema, whose `x-expected` says in words what a value must look like.
const bodyAjv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
addFormats(bodyAjv);

// Path and query values always arrive as strings: coerce them to the schema's
// types ("5" -> 5, "true" -> true) and fill defaults such as limit and offset.
const inputAjv = new Ajv({
  allErrors: true,
  strict: true,
  allowUnionTypes: true,
  coerceTypes: true,
  useDefaults: true,
  verbose: true,
});
addFormats(inputAjv);

// How deep a JSON value nests (1 for a scalar), counting no further than `limit` + 1,
// so a hostile 100,000-deep array costs no more than a shallow one.
function jsonDepth(value: unknown, limit: number): number {
  if (value === null || typeof value !== 'object') {
    return 1;
  }
  if (limit <= 0) {
    return 1;
  }
  let deepest = 0;
  for (const item of Object.values(value)) {
    deepest = Math.max(deepest, jsonDepth(item, limit - 1));
    if (deepest >= limit) {
      break;
    }
  }
  return deepest + 1;
}

// True when a string or object key anywhere in the value contains U+0000, which
// PostgreSQL cannot store in text or jsonb.
function containsNul(value: unknown): boolean {
  if (typeof value === 'string') {
    return value.includes('\u0000');
  }
  if (value === null || typeof value !== 'object') {
    return false;
  }
  return Object.entries(value).some(([key, item]) => key.includes('\u0000') || containsNul(item));
}

// `x-json: { maxDepth }`: what a jsonb column stores (JSON Schema cannot say depth).
// Runs after the depth check, so containsNul never recurses deeper than maxDepth.
interface JsonCheck {
  (value: unknown): boolean;
  errors?: Partial<ErrorObject>[];
}

function checkJsonColumn({ maxDepth }: { maxDepth: number }): JsonCheck {
  const validateJson: JsonCheck = (value: unknown): boolean => {
    if (jsonDepth(value, maxDepth) > maxDepth) {
      validateJson.errors = [{ keyword: 'x-json', message: `must nest at most ${maxDepth} levels deep`, params: {} }];
      return false;
    }
    if (containsNul(value)) {
      validateJson.errors = [{ keyword: 'x-json', message: 'must not contain NUL (\\u0000) characters', params: {} }];
      return false;
    }
    return true;
  };
  return validateJson;
}

// Any JSON value jsonb stores: no NUL in a string or an object key. A json column's
// schema refers to it (#/components/schemas/JsonValue) only under `if: { x-json }`, so the
// recursive check runs on values whose depth x-json has already bounded.
const JSON_VALUE: SchemaObject = {
  description: 'any JSON value without NUL (\\u0000) in a string or key',
  type: ['object', 'array', 'string', 'number', 'boolean', 'null'],
  pattern: '^[^\\u0000]*$',
  propertyNames: { type: 'string', pattern: '^[^\\u0000]*$' },
  additionalProperties: { $ref: '#/components/schemas/JsonValue' },
  items: { $ref: '#/components/schemas/JsonValue' },
};

for (const ajv of [bodyAjv, inputAjv]) {
  ajv.addKeyword({ keyword: 'x-json', errors: true, compile: checkJsonColumn });
  // Annotation only: the words an error message uses for a pattern or type mismatch.
  ajv.addKeyword({ keyword: 'x-expected', schemaType: 'string' });
  // Where the OpenAPI document keeps JsonValue; a compiled schema carries it there too.
  ajv.addKeyword({ keyword: 'components', schemaType: 'object' });
}

// The schema with the components its references point to, as in the OpenAPI document.
function withComponents(schema: SchemaObject): SchemaObject {
  return { ...schema, components: { schemas: { JsonValue: JSON_VALUE } } };
}

function compileBodyValidator(schema: SchemaObject): ValidateFunction {
  return bodyAjv.compile(withComponents(schema));
}

function compileInputValidator(schema: SchemaObject): ValidateFunction {
  return inputAjv.compile(withComponents(schema));
}

function describe(error: ErrorObject): string {
  const expected = (error.parentSchema as { 'x-expected'?: string } | undefined)?.['x-expected'];
  if (expected !== undefined && ['pattern', 'type', 'format'].includes(error.keyword)) {
    return expected;
  }
  if (error.keyword === 'maximum' && error.instancePath === '/offset') {
    return `${error.message}: use the cursor parameter (next_cursor of the previous page) to read further`;
  }
  if (error.keyword === 'enum') {
    const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
    return `must be one of: ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return error.message ?? 'is not valid';
}

// Ajv errors -> [{ field, message }] with the property name the client sent.
function toFieldErrors(errors: ErrorObject[] | null | undefined, part: string): FieldError[] {
  return (errors ?? []).map((error) => {
    const path = error.instancePath.split('/').filter(Boolean).join('.');
    if (error.keyword === 'required') {
      const missing = String((error.params as { missingProperty: string }).missingProperty);
      const field = path ? `${path}.${missing}` : missing;
      return { field, message: 'is required' };
    }
    if (error.keyword === 'additionalProperties') {
      const extra = String((error.params as { additionalProperty: string }).additionalProperty);
      const field = path ? `${path}.${extra}` : extra;
      return { field, message: 'is not allowed' };
    }
    return { field: path || part, message: describe(error) };
  });
}

export {
  bodyAjv,
  inputAjv,
  compileBodyValidator,
  compileInputValidator,
  toFieldErrors,
  jsonDepth,
  JSON_VALUE,
};
