'use strict';

const Ajv = require('ajv');
const addFormats = require('ajv-formats');

// JSON bodies must match their schema's types exactly.
const bodyAjv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(bodyAjv);

// Path and query values always arrive as strings: coerce them to the schema's
// types ("5" -> 5, "true" -> true) and fill defaults such as limit and offset.
const inputAjv = new Ajv({
  allErrors: true,
  strict: true,
  allowUnionTypes: true,
  coerceTypes: true,
  useDefaults: true,
});
addFormats(inputAjv);

function compileBodyValidator(schema) {
  return bodyAjv.compile(schema);
}

function compileInputValidator(schema) {
  return inputAjv.compile(schema);
}

function describe(error) {
  if (error.keyword === 'enum') {
    return `must be one of: ${error.params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return error.message;
}

// Ajv errors -> [{ field, message }] with the property name the client sent.
function toFieldErrors(errors, part) {
  return (errors ?? []).map((error) => {
    const path = error.instancePath.split('/').filter(Boolean).join('.');
    if (error.keyword === 'required') {
      const field = path ? `${path}.${error.params.missingProperty}` : error.params.missingProperty;
      return { field, message: 'is required' };
    }
    if (error.keyword === 'additionalProperties') {
      const field = path ? `${path}.${error.params.additionalProperty}` : error.params.additionalProperty;
      return { field, message: 'is not allowed' };
    }
    return { field: path || part, message: describe(error) };
  });
}

module.exports = { bodyAjv, inputAjv, compileBodyValidator, compileInputValidator, toFieldErrors };
