'use strict';

// JSON Schemas of tags ("tags"): request validation and the OpenAPI document
// both read them. `row` is what the API returns; the others are what it accepts.
const tagsSchemas = {
  row: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'label'],
    description: 'Topic labels',
    properties: {
      id: { type: 'integer', minimum: -2147483648, maximum: 2147483647, readOnly: true },
      label: { type: 'string', maxLength: 255 },
    },
  },
  create: {
    type: 'object',
    additionalProperties: false,
    required: ['label'],
    properties: { label: { type: 'string', maxLength: 255 } },
  },
  update: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: { label: { type: 'string', maxLength: 255 } },
  },
  replace: {
    type: 'object',
    additionalProperties: false,
    required: ['label'],
    properties: { label: { type: 'string', maxLength: 255 } },
  },
  listQuery: {
    type: 'object',
    additionalProperties: false,
    properties: {
      limit: { type: 'integer', minimum: 1, default: 20, description: 'page size (at most 100)' },
      offset: { type: 'integer', minimum: 0, default: 0, description: 'rows to skip' },
      sort: { type: 'string', enum: ['id', 'label'], description: 'property to sort by' },
      order: { type: 'string', enum: ['asc', 'desc'], default: 'asc', description: 'sort direction' },
      id: {
        type: 'integer',
        minimum: -2147483648,
        maximum: 2147483647,
        description: 'only rows whose id equals this value',
      },
      label: { type: 'string', maxLength: 255, description: 'only rows whose label equals this value' },
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

module.exports = { tagsSchemas };
