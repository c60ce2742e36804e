'use strict';

// JSON Schemas of posts ("posts"): request validation and the OpenAPI document
// both read them. `row` is what the API returns; the others are what it accepts.
const postsSchemas = {
  row: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'authorId', 'title', 'slug', 'body', 'published', 'publishedAt', 'viewCount'],
    description: 'Blog posts',
    properties: {
      id: { type: 'string', format: 'uuid', readOnly: true },
      authorId: { type: 'string', format: 'uuid' },
      title: {
        type: 'string',
        maxLength: 255,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      slug: {
        type: 'string',
        maxLength: 255,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      body: {
        type: 'string',
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      published: { type: ['boolean', 'null'] },
      publishedAt: {
        type: ['string', 'null'],
        format: 'date-time',
        pattern: '^(?!0000)\\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])[Tt](?:[01]\\d|2[0-3]):[0-5]\\d:(?:[0-5]\\d|60)(?:\\.\\d{1,6})?(?:[Zz]|[+-](?:0\\d|1[0-5]):[0-5]\\d)$',
        'x-expected': 'must be an RFC 3339 date-time from year 0001 to 9999 with at most 6 fractional digits and a UTC offset (Z or at most ±15:59, PostgreSQL\'s limit)',
      },
      viewCount: { type: ['integer', 'null'], minimum: -2147483648, maximum: 2147483647 },
    },
  },
  create: {
    type: 'object',
    additionalProperties: false,
    required: ['title', 'slug', 'body'],
    properties: {
      authorId: { type: 'string', format: 'uuid' },
      title: {
        type: 'string',
        maxLength: 255,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      slug: {
        type: 'string',
        maxLength: 255,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      body: {
        type: 'string',
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      published: { type: ['boolean', 'null'] },
      publishedAt: {
        type: ['string', 'null'],
        format: 'date-time',
        pattern: '^(?!0000)\\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])[Tt](?:[01]\\d|2[0-3]):[0-5]\\d:(?:[0-5]\\d|60)(?:\\.\\d{1,6})?(?:[Zz]|[+-](?:0\\d|1[0-5]):[0-5]\\d)$',
        'x-expected': 'must be an RFC 3339 date-time from year 0001 to 9999 with at most 6 fractional digits and a UTC offset (Z or at most ±15:59, PostgreSQL\'s limit)',
      },
      viewCount: { type: ['integer', 'null'], minimum: -2147483648, maximum: 2147483647 },
    },
  },
  update: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      authorId: { type: 'string', format: 'uuid' },
      title: {
        type: 'string',
        maxLength: 255,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      slug: {
        type: 'string',
        maxLength: 255,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      body: {
        type: 'string',
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      published: { type: ['boolean', 'null'] },
      publishedAt: {
        type: ['string', 'null'],
        format: 'date-time',
        pattern: '^(?!0000)\\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])[Tt](?:[01]\\d|2[0-3]):[0-5]\\d:(?:[0-5]\\d|60)(?:\\.\\d{1,6})?(?:[Zz]|[+-](?:0\\d|1[0-5]):[0-5]\\d)$',
        'x-expected': 'must be an RFC 3339 date-time from year 0001 to 9999 with at most 6 fractional digits and a UTC offset (Z or at most ±15:59, PostgreSQL\'s limit)',
      },
      viewCount: { type: ['integer', 'null'], minimum: -2147483648, maximum: 2147483647 },
    },
  },
  replace: {
    type: 'object',
    additionalProperties: false,
    required: ['authorId', 'title', 'slug', 'body', 'published', 'publishedAt', 'viewCount'],
    properties: {
      authorId: { type: 'string', format: 'uuid' },
      title: {
        type: 'string',
        maxLength: 255,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      slug: {
        type: 'string',
        maxLength: 255,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      body: {
        type: 'string',
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      published: { type: ['boolean', 'null'] },
      publishedAt: {
        type: ['string', 'null'],
        format: 'date-time',
        pattern: '^(?!0000)\\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])[Tt](?:[01]\\d|2[0-3]):[0-5]\\d:(?:[0-5]\\d|60)(?:\\.\\d{1,6})?(?:[Zz]|[+-](?:0\\d|1[0-5]):[0-5]\\d)$',
        'x-expected': 'must be an RFC 3339 date-time from year 0001 to 9999 with at most 6 fractional digits and a UTC offset (Z or at most ±15:59, PostgreSQL\'s limit)',
      },
      viewCount: { type: ['integer', 'null'], minimum: -2147483648, maximum: 2147483647 },
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
        enum: ['id', 'authorId', 'title', 'slug', 'body', 'published', 'publishedAt', 'viewCount'],
        description: 'property to sort by',
      },
      order: { type: 'string', enum: ['asc', 'desc'], default: 'asc', description: 'sort direction' },
      id: { type: 'string', format: 'uuid', description: 'only rows whose id equals this value' },
      authorId: {
        type: 'string',
        format: 'uuid',
        description: 'only rows whose authorId equals this value',
      },
      title: {
        type: 'string',
        maxLength: 255,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
        description: 'only rows whose title equals this value',
      },
      slug: {
        type: 'string',
        maxLength: 255,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
        description: 'only rows whose slug equals this value',
      },
      body: {
        type: 'string',
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
        description: 'only rows whose body equals this value',
      },
      published: { type: 'boolean', description: 'only rows whose published equals this value' },
      publishedAt: {
        type: 'string',
        format: 'date-time',
        pattern: '^(?!0000)\\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])[Tt](?:[01]\\d|2[0-3]):[0-5]\\d:(?:[0-5]\\d|60)(?:\\.\\d{1,6})?(?:[Zz]|[+-](?:0\\d|1[0-5]):[0-5]\\d)$',
        'x-expected': 'must be an RFC 3339 date-time from year 0001 to 9999 with at most 6 fractional digits and a UTC offset (Z or at most ±15:59, PostgreSQL\'s limit)',
        description: 'only rows whose publishedAt equals this value',
      },
      viewCount: {
        type: 'integer',
        minimum: -2147483648,
        maximum: 2147483647,
        description: 'only rows whose viewCount equals this value',
      },
    },
  },
  params: {
    type: 'object',
    additionalProperties: false,
    required: ['id'],
    properties: { id: { type: 'string', format: 'uuid' } },
  },
  endpoints: {
    publishPost: {
      params: {
        type: 'object',
        additionalProperties: false,
        required: ['id'],
        properties: { id: { type: 'string', format: 'uuid' } },
      },
    },
  },
};

module.exports = { postsSchemas };
