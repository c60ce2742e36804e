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
      offset: { type: 'integer', minimum: 0, default: 0, description: 'rows to skip' },
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
