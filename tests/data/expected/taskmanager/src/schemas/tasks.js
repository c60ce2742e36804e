'use strict';

// JSON Schemas of tasks ("tasks"): request validation and the OpenAPI document
// both read them. `row` is what the API returns; the others are what it accepts.
const tasksSchemas = {
  row: {
    type: 'object',
    additionalProperties: false,
    required: [
      'id',
      'project_id',
      'assignee_id',
      'title',
      'status',
      'priority',
      'due_date',
      'estimate_hours',
      'created_at',
      'updated_at',
    ],
    description: 'A unit of work inside a project.',
    properties: {
      id: { type: 'string', format: 'uuid', readOnly: true },
      project_id: { type: 'string', format: 'uuid' },
      assignee_id: { type: ['string', 'null'], format: 'uuid' },
      title: { type: 'string', maxLength: 200 },
      status: { type: 'string', enum: ['todo', 'in_progress', 'done'] },
      priority: { type: ['integer', 'null'], minimum: 1, maximum: 5 },
      due_date: { type: ['string', 'null'], format: 'date' },
      estimate_hours: { type: ['number', 'null'], exclusiveMinimum: -10000, exclusiveMaximum: 10000 },
      created_at: { type: 'string', format: 'date-time', readOnly: true },
      updated_at: { type: 'string', format: 'date-time', readOnly: true },
    },
  },
  create: {
    type: 'object',
    additionalProperties: false,
    required: ['project_id', 'title'],
    properties: {
      project_id: { type: 'string', format: 'uuid' },
      assignee_id: { type: ['string', 'null'], format: 'uuid' },
      title: { type: 'string', maxLength: 200 },
      status: { type: 'string', enum: ['todo', 'in_progress', 'done'], default: 'todo' },
      priority: { type: ['integer', 'null'], minimum: 1, maximum: 5, default: 3 },
      due_date: { type: ['string', 'null'], format: 'date' },
      estimate_hours: { type: ['number', 'null'], exclusiveMinimum: -10000, exclusiveMaximum: 10000 },
    },
  },
  update: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      project_id: { type: 'string', format: 'uuid' },
      assignee_id: { type: ['string', 'null'], format: 'uuid' },
      title: { type: 'string', maxLength: 200 },
      status: { type: 'string', enum: ['todo', 'in_progress', 'done'] },
      priority: { type: ['integer', 'null'], minimum: 1, maximum: 5 },
      due_date: { type: ['string', 'null'], format: 'date' },
      estimate_hours: { type: ['number', 'null'], exclusiveMinimum: -10000, exclusiveMaximum: 10000 },
    },
  },
  replace: {
    type: 'object',
    additionalProperties: false,
    required: ['project_id', 'title'],
    properties: {
      project_id: { type: 'string', format: 'uuid' },
      assignee_id: { type: ['string', 'null'], format: 'uuid' },
      title: { type: 'string', maxLength: 200 },
      status: { type: 'string', enum: ['todo', 'in_progress', 'done'], default: 'todo' },
      priority: { type: ['integer', 'null'], minimum: 1, maximum: 5, default: 3 },
      due_date: { type: ['string', 'null'], format: 'date' },
      estimate_hours: { type: ['number', 'null'], exclusiveMinimum: -10000, exclusiveMaximum: 10000 },
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
        enum: [
          'id',
          'project_id',
          'assignee_id',
          'title',
          'status',
          'priority',
          'due_date',
          'estimate_hours',
          'created_at',
          'updated_at',
        ],
        description: 'property to sort by',
      },
      order: { type: 'string', enum: ['asc', 'desc'], default: 'asc', description: 'sort direction' },
      id: { type: 'string', format: 'uuid', description: 'only rows whose id equals this value' },
      project_id: {
        type: 'string',
        format: 'uuid',
        description: 'only rows whose project_id equals this value',
      },
      assignee_id: {
        type: 'string',
        format: 'uuid',
        description: 'only rows whose assignee_id equals this value',
      },
      title: { type: 'string', maxLength: 200, description: 'only rows whose title equals this value' },
      status: {
        type: 'string',
        enum: ['todo', 'in_progress', 'done'],
        description: 'only rows whose status equals this value',
      },
      priority: {
        type: 'integer',
        minimum: 1,
        maximum: 5,
        description: 'only rows whose priority equals this value',
      },
      due_date: {
        type: 'string',
        format: 'date',
        description: 'only rows whose due_date equals this value',
      },
      estimate_hours: {
        type: 'number',
        exclusiveMinimum: -10000,
        exclusiveMaximum: 10000,
        description: 'only rows whose estimate_hours equals this value',
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
  endpoints: {
    completeTask: {
      params: {
        type: 'object',
        additionalProperties: false,
        required: ['id'],
        properties: { id: { type: 'string', format: 'uuid' } },
      },
    },
  },
};

module.exports = { tasksSchemas };
