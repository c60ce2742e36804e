import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { SchemaObject, ValidateFunction } from 'ajv';
import { UnsupportedMediaTypeError, ValidationError } from '../utils/errors';
import type { FieldError } from '../utils/errors';
import {
  compileBodyValidator,
  compileInputValidator,
  toFieldErrors,
} from '../utils/validation';

// validate({ params, query, body }) checks each request against the given JSON
// Schemas. The checked (and, for params and query, type-coerced) values are
// stored on req.validated for the handler; anything invalid answers 400 with
// every problem listed. Schemas compile on first use, so an API with many
// tables starts fast.
type Part = 'params' | 'query' | 'body';
type Input = Record<string, unknown>;

// What validate() stored: the checked params, query and body.
export interface Validated {
  params: Input;
  query: Input;
  body: Input;
}

// The signed-in account (set by the auth middleware): its key, role and session.
export interface RequestUser {
  id: unknown;
  role?: unknown;
  session?: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    validated?: Validated;
    user?: RequestUser;
  }
}

// The validated input of a request that went through validate().
function validatedOf(req: Request): Validated {
  if (req.validated === undefined) {
    throw new Error('the route has no validate() middleware');
  }
  return req.validated;
}

function validate(schemas: Partial<Record<Part, SchemaObject>> = {}): RequestHandler {
  const checks: { part: Part; validator: () => ValidateFunction }[] = [];
  const parts: [Part, (schema: SchemaObject) => ValidateFunction][] = [
    ['params', compileInputValidator],
    ['query', compileInputValidator],
    ['body', compileBodyValidator],
  ];
  for (const [part, compile] of parts) {
    const schema = schemas[part];
    if (schema) {
      let validator: ValidateFunction | undefined;
      checks.push({ part, validator: () => (validator ??= compile(schema)) });
    }
  }
  const needsBody = schemas.body !== undefined;
  return function validateRequest(req: Request, _res: Response, next: NextFunction): void {
    if (needsBody) {
      // No body at all (nor a media type) is a missing body; a body of another media
      // type is 415. req.is: null without a body, false for another media type.
      const typed = req.headers['content-type'] !== undefined;
      if (typed && req.is('application/json') === false) {
        next(new UnsupportedMediaTypeError());
        return;
      }
      if (req.body === undefined) {
        next(new ValidationError([{ field: 'body', message: 'is required: send a JSON object' }]));
        return;
      }
    }
    const input: Validated = {
      params: { ...req.params },
      query: { ...(req.query as Input) },
      body: (req.body ?? {}) as Input,
    };
    const fields: FieldError[] = [];
    for (const { part, validator } of checks) {
      const check = validator();
      if (!check(input[part])) {
        fields.push(...toFieldErrors(check.errors, part));
      }
    }
    if (fields.length > 0) {
      next(new ValidationError(fields));
      return;
    }
    req.validated = input;
    next();
  };
}

export { validate, validatedOf };
