'use strict';

// JSON Schemas of authors ("authors"): request validation and the OpenAPI document
// both read them. `row` is what the API returns; the others are what it accepts.
const authorsSchemas = {
  row: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'name', 'email', 'bio', 'createdAt'],
    description: 'People who write posts',
    properties: {
      id: { type: 'string', format: 'uuid', readOnly: true },
      name: { type: 'string', maxLength: 120 },
      email: { type: 'string', maxLength: 255 },
      bio: { type: ['string', 'null'] },
      createdAt: { type: ['string', 'null'], format: 'date-time' },
    },
  },
  create: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'email'],
    properties: {
      name: { type: 'string', maxLength: 120 },
      email: { type: 'string', maxLength: 255 },
      bio: { type: ['string', 'null'] },
      createdAt: { type: ['string', 'null'], format: 'date-time' },
    },
  },
  update: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      name: { type: 'string', maxLength: 120 },
      email: { type: 'string', maxLength: 255 },
      bio: { type: ['string', 'null'] },
      createdAt: { type: ['string', 'null'], format: 'date-time' },
    },
  },
  replace: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'email'],
    properties: {
      name: { type: 'string', maxLength: 120 },
      email: { type: 'string', maxLength: 255 },
      bio: { type: ['string', 'null'] },
      createdAt: { type: ['string', 'null'], format: 'date-time' },
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
        enum: ['id', 'name', 'email', 'bio', 'createdAt'],
        description: 'property to sort by',
      },
      order: { type: 'string', enum: ['asc', 'desc'], default: 'asc', description: 'sort direction' },
      id: { type: 'string', format: 'uuid', description: 'only rows whose id equals this value' },
      name: { type: 'string', maxLength: 120, description: 'only rows whose name equals this value' },
      email: { type: 'string', maxLength: 255, description: 'only rows whose email equals this value' },
      bio: { type: 'string', description: 'only rows whose bio equals this value' },
      createdAt: {
        type: 'string',
        format: 'date-time',
        description: 'only rows whose createdAt equals this value',
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

module.exports = { authorsSchemas };
