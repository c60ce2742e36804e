'use strict';

// JSON Schemas of categories ("categories"): request validation and the OpenAPI document
// both read them. `row` is what the API returns; the others are what it accepts.
const categoriesSchemas = {
  row: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'name', 'parent_id'],
    properties: {
      id: { type: 'integer', minimum: -2147483648, maximum: 2147483647, readOnly: true },
      name: { type: 'string', maxLength: 80 },
      parent_id: { type: ['integer', 'null'], minimum: -2147483648, maximum: 2147483647 },
    },
  },
  create: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { type: 'string', maxLength: 80 },
      parent_id: { type: ['integer', 'null'], minimum: -2147483648, maximum: 2147483647 },
    },
  },
  update: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      name: { type: 'string', maxLength: 80 },
      parent_id: { type: ['integer', 'null'], minimum: -2147483648, maximum: 2147483647 },
    },
  },
  replace: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { type: 'string', maxLength: 80 },
      parent_id: { type: ['integer', 'null'], minimum: -2147483648, maximum: 2147483647 },
    },
  },
  listQuery: {
    type: 'object',
    additionalProperties: false,
    properties: {
      limit: { type: 'integer', minimum: 1, default: 20, description: 'page size (at most 100)' },
      offset: { type: 'integer', minimum: 0, default: 0, description: 'rows to skip' },
      sort: { type: 'string', enum: ['id', 'name', 'parent_id'], description: 'property to sort by' },
      order: { type: 'string', enum: ['asc', 'desc'], default: 'asc', description: 'sort direction' },
      id: {
        type: 'integer',
        minimum: -2147483648,
        maximum: 2147483647,
        description: 'only rows whose id equals this value',
      },
      name: { type: 'string', maxLength: 80, description: 'only rows whose name equals this value' },
      parent_id: {
        type: 'integer',
        minimum: -2147483648,
        maximum: 2147483647,
        description: 'only rows whose parent_id equals this value',
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

module.exports = { categoriesSchemas };
