'use strict';

const { UnsupportedMediaTypeError, ValidationError } = require('../utils/errors');
const {
  compileBodyValidator,
  compileInputValidator,
  toFieldErrors,
} = require('../utils/validation');

// validate({ params, query, body }) checks each request against the given JSON
// Schemas. The checked (and, for params and query, type-coerced) values are
// stored on req.validated for the handler; anything invalid answers 400 with
// every problem listed. Schemas compile on first use, so an API with many
// tables starts fast.
function validate(schemas = {}) {
  const checks = [];
  for (const [part, compile] of [
    ['params', compileInputValidator],
    ['query', compileInputValidator],
    ['body', compileBodyValidator],
  ]) {
    if (schemas[part]) {
      let validator;
      checks.push({ part, validator: () => (validator ??= compile(schemas[part])) });
    }
  }
  const needsBody = schemas.body !== undefined;
  return function validateRequest(req, res, next) {
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
    const input = {
      params: { ...req.params },
      query: { ...req.query },
      body: req.body ?? {},
    };
    const fields = [];
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

module.exports = { validate };
