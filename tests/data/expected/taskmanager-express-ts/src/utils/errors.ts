// Errors the API answers with on purpose. The error handler turns each one into
// `{ error: { code, message, fields? } }` with the class's HTTP status.
export interface FieldError {
  field: string;
  message: string;
}

interface ErrorOptions {
  status?: number;
  code?: string;
  fields?: FieldError[] | undefined;
}

export interface ErrorBody {
  code: string;
  message: string;
  fields?: FieldError[];
}

class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields?: FieldError[];

  constructor(message: string, { status = 500, code = 'internal_error', fields }: ErrorOptions = {}) {
    super(message);
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    if (fields !== undefined) {
      this.fields = fields;
    }
  }

  toJSON(): ErrorBody {
    const body: ErrorBody = { code: this.code, message: this.message };
    if (this.fields !== undefined) {
      body.fields = this.fields;
    }
    return body;
  }
}

class BadRequestError extends AppError {
  constructor(message: string, fields?: FieldError[]) {
    super(message, { status: 400, code: 'bad_request', fields });
  }
}

// `fields` is a list of { field, message }, one per rejected input.
class ValidationError extends AppError {
  constructor(fields: FieldError[], message = 'The request is not valid') {
    super(message, { status: 400, code: 'validation_failed', fields });
  }
}

class UnauthorizedError extends AppError {
  constructor(message = 'Authentication required') {
    super(message, { status: 401, code: 'unauthorized' });
  }
}

class ForbiddenError extends AppError {
  constructor(message = 'Not allowed') {
    super(message, { status: 403, code: 'forbidden' });
  }
}

class NotFoundError extends AppError {
  constructor(message = 'Not found') {
    super(message, { status: 404, code: 'not_found' });
  }
}

class ConflictError extends AppError {
  constructor(message: string, fields?: FieldError[]) {
    super(message, { status: 409, code: 'conflict', fields });
  }
}

class MethodNotAllowedError extends AppError {
  readonly allowed: string[];

  constructor(method: string, path: string, allowed: string[]) {
    super(`${method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`, {
      status: 405,
      code: 'method_not_allowed',
    });
    this.allowed = allowed;
  }
}

class UnsupportedMediaTypeError extends AppError {
  constructor(message = 'The request body must be JSON (Content-Type: application/json)') {
    super(message, { status: 415, code: 'unsupported_media_type' });
  }
}

// A rate limit answered: the client may try again in `retryAfter` seconds (Retry-After).
class TooManyRequestsError extends AppError {
  readonly retryAfter: number;

  constructor(retryAfter: number, message = 'Too many requests: try again later') {
    super(message, { status: 429, code: 'too_many_requests' });
    this.retryAfter = retryAfter;
  }
}

// A service the request needs (the rate limit store) does not answer.
class ServiceUnavailableError extends AppError {
  constructor(message = 'Service unavailable: try again later') {
    super(message, { status: 503, code: 'unavailable' });
  }
}

// A declared endpoint whose logic has not been written yet.
class NotImplementedError extends AppError {
  readonly endpoint: string;

  constructor(endpoint: string) {
    super(`${endpoint} is not implemented yet: it was declared in the spec without logic`, {
      status: 501,
      code: 'not_implemented',
    });
    this.endpoint = endpoint;
  }
}

export {
  AppError,
  BadRequestError,
  ValidationError,
  UnauthorizedError,
  ForbiddenError,
  NotFoundError,
  ConflictError,
  MethodNotAllowedError,
  UnsupportedMediaTypeError,
  TooManyRequestsError,
  ServiceUnavailableError,
  NotImplementedError,
};
