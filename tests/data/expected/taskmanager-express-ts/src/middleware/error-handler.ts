import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../utils/errors';
import type { ErrorBody } from '../utils/errors';
import { logger } from '../utils/logger';

interface Answer {
  status: number;
  body: ErrorBody;
}

// What a thrown value may carry: a database error (code, detail, field), an HTTP
// error from the body parser (status, type, expose) or a 405's allowed methods.
interface Thrown {
  code?: string;
  detail?: string;
  field?: string;
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
  message?: string;
  allowed?: unknown;
  position?: string;
  retryAfter?: unknown;
}

function answer(status: number, code: string, message: string, field?: string): Answer {
  const body: ErrorBody = { code, message };
  if (field !== undefined) {
    body.fields = [{ field, message }];
  }
  return { status, body };
}

// PostgreSQL errors a client can cause, as HTTP answers; `err.field` is set by
// the data layer when the column or constraint maps to an API property.
// Anything else is a 500 whose details stay in the log.
function fromDatabase(err: Thrown): Answer | null {
  const { field } = err;
  const subject = field ?? 'a value';
  switch (err.code) {
    case '23505':
      return answer(409, 'duplicate', `${field ?? 'a unique value'} already exists`, field);
    case '23503':
      if (/is still referenced/.test(err.detail ?? '')) {
        return answer(409, 'still_referenced', 'other records still refer to this one');
      }
      return answer(409, 'reference_not_found', `${field ?? 'a reference'} points to a record that does not exist`, field);
    case '23502':
      return answer(400, 'missing_value', `${field ?? 'a required value'} is required`, field);
    case '23514':
      return answer(400, 'constraint_violation', `${subject} is outside the allowed values`, field);
    case '22P02':
    case '22007':
    case '22008':
      return answer(400, 'invalid_value', `${subject} has the wrong format`, field);
    case '22001':
      return answer(400, 'value_too_long', `${subject} is too long`, field);
    case '22003':
      return answer(400, 'out_of_range', `${subject} is out of range`, field);
    case '54000':
      // A value over its type's own size limit (a tsvector holds 1 MB): the client's; any
      // other program limit is the server's.
      return /^string is too long for tsvector\b/.test(err.message ?? '')
        ? answer(400, 'value_too_long', `${subject} is too long`, field)
        : null;
    case '42601':
      // The syntax of a value (tsvector or tsquery input: "syntax error in tsvector") is
      // the client's; a statement's own syntax error ("at or near") is a server bug.
      return /^syntax error in [a-z]+\b/.test(err.message ?? '') && err.position === undefined
        ? answer(400, 'invalid_value', `${subject} has the wrong format`, field)
        : null;
    default:
      // Class 22 is "data exception": always a value the client sent.
      return /^22[0-9A-Z]{3}$/.test(err.code ?? '')
        ? answer(400, 'invalid_value', `${subject} is not a value the database accepts`, field)
        : null;
  }
}

// Errors raised by express.json() (malformed JSON, body too large) carry a 4xx status.
function fromHttp(err: Thrown): Answer | null {
  const status = err.status ?? err.statusCode;
  if (status === undefined || !Number.isInteger(status) || status < 400 || status > 499) {
    return null;
  }
  if (err.type === 'entity.parse.failed') {
    return answer(status, 'invalid_json', 'The request body is not valid JSON');
  }
  if (err.type === 'entity.too.large') {
    return answer(status, 'payload_too_large', 'The request body is too large');
  }
  return answer(status, 'bad_request', err.expose ? err.message ?? 'Bad request' : 'Bad request');
}

function toResponse(err: unknown): Answer {
  if (err === null || typeof err !== 'object') {
    return answer(500, 'internal_error', 'Something went wrong on our side');
  }
  if (err instanceof AppError) {
    return { status: err.status, body: err.toJSON() };
  }
  return fromDatabase(err as Thrown) ?? fromHttp(err as Thrown)
    ?? answer(500, 'internal_error', 'Something went wrong on our side');
}

// Express recognizes an error handler by its four parameters.
function errorHandler(err: unknown, req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) {
    next(err);
    return;
  }
  const { status, body } = toResponse(err);
  const retryAfter = (err as Thrown | null)?.retryAfter;
  if (status === 429 && Number.isInteger(retryAfter)) {
    res.set('Retry-After', String(retryAfter));
  }
  const allowed = (err as Thrown | null)?.allowed;
  if (status === 405 && Array.isArray(allowed)) {
    res.set('Allow', allowed.join(', '));
  }
  const log = req.log ?? logger;
  if (status === 501) {
    // A declared endpoint without logic yet: expected, not a fault worth a stack trace.
    log.warn({ code: body.code }, body.message);
  } else if (status >= 500) {
    log.error({ err }, 'request failed');
  }
  res.status(status).json({ error: body });
}

export { errorHandler };
