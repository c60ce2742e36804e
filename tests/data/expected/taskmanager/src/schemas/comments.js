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
      body: { type: 'string' },
      created_at: { type: 'string', format: 'date-time', readOnly: true },
      updated_at: { type: 'string', format: 'date-time', readOnly: true },
    },
  },
  create: {
    type: 'object',
    additionalProperties: false,
    required: ['task_id', 'author_id', 'body'],
    properties: {
      task_id: { type: 'string', format: 'uuid' },
      author_id: { type: 'string', format: 'uuid' },
      body: { type: 'string' },
    },
  },
  update: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      task_id: { type: 'string', format: 'uuid' },
      author_id: { type: 'string', format: 'uuid' },
      body: { type: 'string' },
    },
  },
  replace: {
    type: 'object',
    additionalProperties: false,
    required: ['task_id', 'author_id', 'body'],
    properties: {
      task_id: { type: 'string', format: 'uuid' },
      author_id: { type: 'string', format: 'uuid' },
      body: { type: 'string' },
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
      body: { type: 'string', description: 'only rows whose body equals this value' },
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

module.exports = { commentsSchemas };
