'use strict';

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
      name: { type: 'string', maxLength: 120 },
      description: { type: ['string', 'null'] },
      owner_id: { type: 'string', format: 'uuid' },
      archived: { type: 'boolean' },
      created_at: { type: 'string', format: 'date-time', readOnly: true },
      updated_at: { type: 'string', format: 'date-time', readOnly: true },
    },
  },
  create: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'owner_id'],
    properties: {
      name: { type: 'string', maxLength: 120 },
      description: { type: ['string', 'null'] },
      owner_id: { type: 'string', format: 'uuid' },
      archived: { type: 'boolean', default: false },
    },
  },
  update: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      name: { type: 'string', maxLength: 120 },
      description: { type: ['string', 'null'] },
      owner_id: { type: 'string', format: 'uuid' },
      archived: { type: 'boolean' },
    },
  },
  replace: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'owner_id'],
    properties: {
      name: { type: 'string', maxLength: 120 },
      description: { type: ['string', 'null'] },
      owner_id: { type: 'string', format: 'uuid' },
      archived: { type: 'boolean', default: false },
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
        enum: ['id', 'name', 'description', 'owner_id', 'archived', 'created_at', 'updated_at'],
        description: 'property to sort by',
      },
      order: { type: 'string', enum: ['asc', 'desc'], default: 'asc', description: 'sort direction' },
      id: { type: 'string', format: 'uuid', description: 'only rows whose id equals this value' },
      name: { type: 'string', maxLength: 120, description: 'only rows whose name equals this value' },
      description: { type: 'string', description: 'only rows whose description equals this value' },
      owner_id: {
        type: 'string',
        format: 'uuid',
        description: 'only rows whose owner_id equals this value',
      },
      archived: { type: 'boolean', description: 'only rows whose archived equals this value' },
      created_at: {
        type: 'string',
        format: 'date-time',
        description: 'only rows whose created_at equals this value',
      },
      updated_at: {
        type: 'string',
        format: 'date-time',
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

module.exports = { projectsSchemas };
