'use strict';

// JSON Schemas of comments ("comments"): request validation and the OpenAPI document
// both read them. `row` is what the API returns; the others are what it accepts.
const commentsSchemas = {
  row: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'task_id', 'author_id', 'body', 'created_at', 'updated_at'],
    description: 'Discussion on a task.',
    properties: {
      id: { type: 'string', format: 'uuid', readOnly: true },
      task_id: { type: 'string', format: 'uuid' },
      author_id: { type: 'string', format: 'uuid' },
      body: {
        type: 'string',
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      created_at: {
        type: 'string',
        format: 'date-time',
        pattern: '^(?!0000)\\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])[Tt](?:[01]\\d|2[0-3]):[0-5]\\d:(?:[0-5]\\d|60)(?:\\.\\d{1,6})?(?:[Zz]|[+-](?:0\\d|1[0-5]):[0-5]\\d)$',
        'x-expected': 'must be an RFC 3339 date-time from year 0001 to 9999 with at most 6 fractional digits and a UTC offset (Z or at most ±15:59, PostgreSQL\'s limit)',
        readOnly: true,
      },
      updated_at: {
        type: 'string',
        format: 'date-time',
        pattern: '^(?!0000)\\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])[Tt](?:[01]\\d|2[0-3]):[0-5]\\d:(?:[0-5]\\d|60)(?:\\.\\d{1,6})?(?:[Zz]|[+-](?:0\\d|1[0-5]):[0-5]\\d)$',
        'x-expected': 'must be an RFC 3339 date-time from year 0001 to 9999 with at most 6 fractional digits and a UTC offset (Z or at most ±15:59, PostgreSQL\'s limit)',
        readOnly: true,
      },
    },
  },
  create: {
    type: 'object',
    additionalProperties: false,
    required: ['task_id', 'body'],
    properties: {
      task_id: { type: 'string', format: 'uuid' },
      author_id: { type: 'string', format: 'uuid' },
      body: {
        type: 'string',
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
      task_id: { type: 'string', format: 'uuid' },
      author_id: { type: 'string', format: 'uuid' },
      body: {
        type: 'string',
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
    },
  },
  replace: {
    type: 'object',
    additionalProperties: false,
    required: ['task_id', 'author_id', 'body'],
    properties: {
      task_id: { type: 'string', format: 'uuid' },
      author_id: { type: 'string', format: 'uuid' },
      body: {
        type: 'string',
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
        enum: ['id', 'task_id', 'author_id', 'body', 'created_at', 'updated_at'],
        description: 'property to sort by',
      },
      order: { type: 'string', enum: ['asc', 'desc'], default: 'asc', description: 'sort direction' },
      id: { type: 'string', format: 'uuid', description: 'only rows whose id equals this value' },
      task_id: {
        type: 'string',
        format: 'uuid',
        description: 'only rows whose task_id equals this value',
      },
      author_id: {
        type: 'string',
        format: 'uuid',
        description: 'only rows whose author_id equals this value',
      },
      body: {
        type: 'string',
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
        description: 'only rows whose body equals this value',
      },
      created_at: {
        type: 'string',
        format: 'date-time',
        pattern: '^(?!0000)\\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])[Tt](?:[01]\\d|2[0-3]):[0-5]\\d:(?:[0-5]\\d|60)(?:\\.\\d{1,6})?(?:[Zz]|[+-](?:0\\d|1[0-5]):[0-5]\\d)$',
        'x-expected': 'must be an RFC 3339 date-time from year 0001 to 9999 with at most 6 fractional digits and a UTC offset (Z or at most ±15:59, PostgreSQL\'s limit)',
        description: 'only rows whose created_at equals this value',
      },
      updated_at: {
        type: 'string',
        format: 'date-time',
        pattern: '^(?!0000)\\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])[Tt](?:[01]\\d|2[0-3]):[0-5]\\d:(?:[0-5]\\d|60)(?:\\.\\d{1,6})?(?:[Zz]|[+-](?:0\\d|1[0-5]):[0-5]\\d)$',
        'x-expected': 'must be an RFC 3339 date-time from year 0001 to 9999 with at most 6 fractional digits and a UTC offset (Z or at most ±15:59, PostgreSQL\'s limit)',
        description: 'only rows whose updated_at equals this value',
      },
    },
  },
  params: {
    type: 'object',
    additionalProperties: false,
    required: ['id'],
    properties: { id: { type: 'string', format: 'uuid' } },
  },
  endpoints: {},
};

module.exports = { commentsSchemas };
