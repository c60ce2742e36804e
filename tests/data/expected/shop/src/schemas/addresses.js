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
      line1: {
        type: 'string',
        maxLength: 200,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      line2: {
        type: ['string', 'null'],
        maxLength: 200,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      city: {
        type: 'string',
        maxLength: 100,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      postal_code: {
        type: 'string',
        maxLength: 20,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      country: {
        type: 'string',
        maxLength: 2,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
    },
  },
  create: {
    type: 'object',
    additionalProperties: false,
    required: ['customer_id', 'line1', 'city', 'postal_code', 'country'],
    properties: {
      customer_id: { type: 'string', format: 'uuid' },
      line1: {
        type: 'string',
        maxLength: 200,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      line2: {
        type: ['string', 'null'],
        maxLength: 200,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      city: {
        type: 'string',
        maxLength: 100,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      postal_code: {
        type: 'string',
        maxLength: 20,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      country: {
        type: 'string',
        maxLength: 2,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
    },
  },
  update: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      customer_id: { type: 'string', format: 'uuid' },
      line1: {
        type: 'string',
        maxLength: 200,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      line2: {
        type: ['string', 'null'],
        maxLength: 200,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      city: {
        type: 'string',
        maxLength: 100,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      postal_code: {
        type: 'string',
        maxLength: 20,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      country: {
        type: 'string',
        maxLength: 2,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
    },
  },
  replace: {
    type: 'object',
    additionalProperties: false,
    required: ['customer_id', 'line1', 'line2', 'city', 'postal_code', 'country'],
    properties: {
      customer_id: { type: 'string', format: 'uuid' },
      line1: {
        type: 'string',
        maxLength: 200,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      line2: {
        type: ['string', 'null'],
        maxLength: 200,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      city: {
        type: 'string',
        maxLength: 100,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      postal_code: {
        type: 'string',
        maxLength: 20,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      country: {
        type: 'string',
        maxLength: 2,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
    },
  },
  listQuery: {
    type: 'object',
    additionalProperties: false,
    properties: {
      limit: { type: 'integer', minimum: 1, default: 20, description: 'page size (at most 100)' },
      offset: {
        type: 'integer',
        minimum: 0,
        maximum: 10000,
        default: 0,
        description: 'rows to skip (at most 10000; read further with `cursor`)',
      },
      cursor: {
        type: 'string',
        minLength: 1,
        maxLength: 4096,
        pattern: '^[A-Za-z0-9_-]+$',
        description: 'opaque: `meta.next_cursor` of the previous page, with the same sort and order; continues after that page\'s last row (keyset pagination, no offset)',
      },
      count: {
        type: 'boolean',
        default: true,
        description: 'false skips counting the matching rows (`meta.total` is null); when true the page and the total come from one snapshot',
      },
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
      line1: {
        type: 'string',
        maxLength: 200,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
        description: 'only rows whose line1 equals this value',
      },
      line2: {
        type: 'string',
        maxLength: 200,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
        description: 'only rows whose line2 equals this value',
      },
      city: {
        type: 'string',
        maxLength: 100,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
        description: 'only rows whose city equals this value',
      },
      postal_code: {
        type: 'string',
        maxLength: 20,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
        description: 'only rows whose postal_code equals this value',
      },
      country: {
        type: 'string',
        maxLength: 2,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
        description: 'only rows whose country equals this value',
      },
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
