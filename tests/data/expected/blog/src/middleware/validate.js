'use strict';

const { ValidationError } = require('../utils/errors');
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
  return function validateRequest(req, res, next) {
    // Copies: coercion must not touch Express's own objects (req.query is a getter in Express 5).
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
