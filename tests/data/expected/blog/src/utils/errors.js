'use strict';

// Errors the API answers with on purpose. The error handler turns each one into
// `{ error: { code, message, fields? } }` with the class's HTTP status.
class AppError extends Error {
  constructor(message, { status = 500, code = 'internal_error', fields } = {}) {
    super(message);
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    if (fields !== undefined) {
      this.fields = fields;
    }
  }

  toJSON() {
    const body = { code: this.code, message: this.message };
    if (this.fields !== undefined) {
      body.fields = this.fields;
    }
    return body;
  }
}

class BadRequestError extends AppError {
  constructor(message, fields) {
    super(message, { status: 400, code: 'bad_request', fields });
  }
}

// `fields` is a list of { field, message }, one per rejected input.
class ValidationError extends AppError {
  constructor(fields, message = 'The request is not valid') {
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
  constructor(message, fields) {
    super(message, { status: 409, code: 'conflict', fields });
  }
}

class MethodNotAllowedError extends AppError {
  constructor(method, path, allowed) {
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
  constructor(retryAfter, message = 'Too many requests: try again later') {
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
  constructor(endpoint) {
    super(`${endpoint} is not implemented yet: it was declared in the spec without logic`, {
      status: 501,
      code: 'not_implemented',
    });
    this.endpoint = endpoint;
  }
}

module.exports = {
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
