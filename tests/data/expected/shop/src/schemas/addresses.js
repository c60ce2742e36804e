'use strict';

// JSON Schemas of addresses ("addresses"): request validation and the OpenAPI document
// both read them. `row` is what the API returns; the others are what it accepts.
const addressesSchemas = {
  row: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'customer_id', 'line1', 'line2', 'city', 'postal_code', 'country'],
    properties: {
      id: { type: 'integer', minimum: -2147483648, maximum: 2147483647, readOnly: true },
      customer_id: { type: 'string', format: 'uuid' },
      line1: { type: 'string', maxLength: 200 },
      line2: { type: ['string', 'null'], maxLength: 200 },
      city: { type: 'string', maxLength: 100 },
      postal_code: { type: 'string', maxLength: 20 },
      country: { type: 'string', maxLength: 2 },
    },
  },
  create: {
    type: 'object',
    additionalProperties: false,
    required: ['customer_id', 'line1', 'city', 'postal_code', 'country'],
    properties: {
      customer_id: { type: 'string', format: 'uuid' },
      line1: { type: 'string', maxLength: 200 },
      line2: { type: ['string', 'null'], maxLength: 200 },
      city: { type: 'string', maxLength: 100 },
      postal_code: { type: 'string', maxLength: 20 },
      country: { type: 'string', maxLength: 2 },
    },
  },
  update: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      customer_id: { type: 'string', format: 'uuid' },
      line1: { type: 'string', maxLength: 200 },
      line2: { type: ['string', 'null'], maxLength: 200 },
      city: { type: 'string', maxLength: 100 },
      postal_code: { type: 'string', maxLength: 20 },
      country: { type: 'string', maxLength: 2 },
    },
  },
  replace: {
    type: 'object',
    additionalProperties: false,
    required: ['customer_id', 'line1', 'city', 'postal_code', 'country'],
    properties: {
      customer_id: { type: 'string', format: 'uuid' },
      line1: { type: 'string', maxLength: 200 },
      line2: { type: ['string', 'null'], maxLength: 200 },
      city: { type: 'string', maxLength: 100 },
      postal_code: { type: 'string', maxLength: 20 },
      country: { type: 'string', maxLength: 2 },
    },
  },
  listQuery: {
    type: 'object',
    additionalProperties: false,
    properties: {
      limit: { type: 'integer', minimum: 1, default: 20, description: 'page size (at most 100)' },
      offset: { type: 'integer', minimum: 0, default: 0, description: 'rows to skip' },
      sort: {
        type: 'string',
        enum: ['id', 'customer_id', 'line1', 'line2', 'city', 'postal_code', 'country'],
        description: 'property to sort by',
      },
      order: { type: 'string', enum: ['asc', 'desc'], default: 'asc', description: 'sort direction' },
      id: {
        type: 'integer',
        minimum: -2147483648,
        maximum: 2147483647,
        description: 'only rows whose id equals this value',
      },
      customer_id: {
        type: 'string',
        format: 'uuid',
        description: 'only rows whose customer_id equals this value',
      },
      line1: { type: 'string', maxLength: 200, description: 'only rows whose line1 equals this value' },
      line2: { type: 'string', maxLength: 200, description: 'only rows whose line2 equals this value' },
      city: { type: 'string', maxLength: 100, description: 'only rows whose city equals this value' },
      postal_code: {
        type: 'string',
        maxLength: 20,
        description: 'only rows whose postal_code equals this value',
      },
      country: { type: 'string', maxLength: 2, description: 'only rows whose country equals this value' },
    },
  },
  params: {
    type: 'object',
    additionalProperties: false,
    required: ['id'],
    properties: { id: { type: 'integer', minimum: -2147483648, maximum: 2147483647 } },
  },
  endpoints: {},
};

module.exports = { addressesSchemas };
