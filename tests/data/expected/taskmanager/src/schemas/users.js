'use strict';

// JSON Schemas of users ("users"): request validation and the OpenAPI document
// both read them. `row` is what the API returns; the others are what it accepts.
const usersSchemas = {
  row: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'email', 'display_name', 'role', 'created_at', 'updated_at'],
    description: 'People who sign in and own projects.',
    properties: {
      id: { type: 'string', format: 'uuid', readOnly: true },
      email: { type: 'string', maxLength: 255 },
      display_name: { type: 'string', maxLength: 100 },
      role: { type: 'string', enum: ['member', 'admin'] },
      created_at: { type: 'string', format: 'date-time', readOnly: true },
      updated_at: { type: 'string', format: 'date-time', readOnly: true },
    },
  },
  create: {
    type: 'object',
    additionalProperties: false,
    required: ['email', 'display_name'],
    properties: {
      email: { type: 'string', maxLength: 255 },
      display_name: { type: 'string', maxLength: 100 },
      role: { type: 'string', enum: ['member', 'admin'], default: 'member' },
    },
  },
  update: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      email: { type: 'string', maxLength: 255 },
      display_name: { type: 'string', maxLength: 100 },
      role: { type: 'string', enum: ['member', 'admin'] },
    },
  },
  replace: {
    type: 'object',
    additionalProperties: false,
    required: ['email', 'display_name'],
    properties: {
      email: { type: 'string', maxLength: 255 },
      display_name: { type: 'string', maxLength: 100 },
      role: { type: 'string', enum: ['member', 'admin'], default: 'member' },
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
        enum: ['id', 'email', 'display_name', 'role', 'created_at', 'updated_at'],
        description: 'property to sort by',
      },
      order: { type: 'string', enum: ['asc', 'desc'], default: 'asc', description: 'sort direction' },
      id: { type: 'string', format: 'uuid', description: 'only rows whose id equals this value' },
      email: { type: 'string', maxLength: 255, description: 'only rows whose email equals this value' },
      display_name: {
        type: 'string',
        maxLength: 100,
        description: 'only rows whose display_name equals this value',
      },
      role: {
        type: 'string',
        enum: ['member', 'admin'],
        description: 'only rows whose role equals this value',
      },
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
  endpoints: {},
};

module.exports = { usersSchemas };
