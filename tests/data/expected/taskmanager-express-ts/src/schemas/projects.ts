// JSON Schemas of projects ("projects"): request validation and the OpenAPI document
// both read them. `row` is what the API returns; the others are what it accepts.
const projectsSchemas = {
  row: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'name', 'description', 'owner_id', 'archived', 'created_at', 'updated_at'],
    description: 'A project groups tasks.',
    properties: {
      id: { type: 'string', format: 'uuid', readOnly: true },
      name: {
        type: 'string',
        maxLength: 120,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      description: {
        type: ['string', 'null'],
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      owner_id: { type: 'string', format: 'uuid' },
      archived: { type: 'boolean' },
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
    required: ['name'],
    properties: {
      name: {
        type: 'string',
        maxLength: 120,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      description: {
        type: ['string', 'null'],
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      owner_id: { type: 'string', format: 'uuid' },
      archived: { type: 'boolean', default: false },
    },
  },
  update: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      name: {
        type: 'string',
        maxLength: 120,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      description: {
        type: ['string', 'null'],
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      owner_id: { type: 'string', format: 'uuid' },
      archived: { type: 'boolean' },
    },
  },
  replace: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'description', 'owner_id', 'archived'],
    properties: {
      name: {
        type: 'string',
        maxLength: 120,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      description: {
        type: ['string', 'null'],
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      owner_id: { type: 'string', format: 'uuid' },
      archived: { type: 'boolean' },
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
        enum: ['id', 'name', 'description', 'owner_id', 'archived', 'created_at', 'updated_at'],
        description: 'property to sort by',
      },
      order: { type: 'string', enum: ['asc', 'desc'], default: 'asc', description: 'sort direction' },
      id: { type: 'string', format: 'uuid', description: 'only rows whose id equals this value' },
      name: {
        type: 'string',
        maxLength: 120,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
        description: 'only rows whose name equals this value',
      },
      description: {
        type: 'string',
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
        description: 'only rows whose description equals this value',
      },
      owner_id: {
        type: 'string',
        format: 'uuid',
        description: 'only rows whose owner_id equals this value',
      },
      archived: { type: 'boolean', description: 'only rows whose archived equals this value' },
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
  endpoints: {
    getProjectStats: {
      params: {
        type: 'object',
        additionalProperties: false,
        required: ['id'],
        properties: { id: { type: 'string', format: 'uuid' } },
      },
    },
  },
};

export { projectsSchemas };
