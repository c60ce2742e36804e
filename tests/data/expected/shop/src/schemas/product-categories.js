'use strict';

// JSON Schemas of product categories ("product_categories"): request validation and the OpenAPI document
// both read them. `row` is what the API returns; the others are what it accepts.
const productCategoriesSchemas = {
  row: {
    type: 'object',
    additionalProperties: false,
    required: ['product_id', 'category_id'],
    description: 'Which categories a product is listed in.',
    properties: {
      product_id: { type: 'string', format: 'uuid' },
      category_id: { type: 'integer', minimum: -2147483648, maximum: 2147483647 },
    },
  },
  create: {
    type: 'object',
    additionalProperties: false,
    required: ['product_id', 'category_id'],
    properties: {
      product_id: { type: 'string', format: 'uuid' },
      category_id: { type: 'integer', minimum: -2147483648, maximum: 2147483647 },
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
        enum: ['product_id', 'category_id'],
        description: 'property to sort by',
      },
      order: { type: 'string', enum: ['asc', 'desc'], default: 'asc', description: 'sort direction' },
      product_id: {
        type: 'string',
        format: 'uuid',
        description: 'only rows whose product_id equals this value',
      },
      category_id: {
        type: 'integer',
        minimum: -2147483648,
        maximum: 2147483647,
        description: 'only rows whose category_id equals this value',
      },
    },
  },
  params: {
    type: 'object',
    additionalProperties: false,
    required: ['product_id', 'category_id'],
    properties: {
      product_id: { type: 'string', format: 'uuid' },
      category_id: { type: 'integer', minimum: -2147483648, maximum: 2147483647 },
    },
  },
  endpoints: {},
};

module.exports = { productCategoriesSchemas };
