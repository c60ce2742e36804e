'use strict';

// JSON Schemas of customers ("customers"): request validation and the OpenAPI document
// both read them. `row` is what the API returns; the others are what it accepts.
const customersSchemas = {
  row: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'email', 'full_name', 'phone', 'marketing_opt_in', 'created_at', 'updated_at'],
    properties: {
      id: { type: 'string', format: 'uuid', readOnly: true },
      email: { type: 'string', maxLength: 255 },
      full_name: { type: 'string', maxLength: 150 },
      phone: { type: ['string', 'null'], maxLength: 30 },
      marketing_opt_in: { type: 'boolean' },
      created_at: { type: 'string', format: 'date-time', readOnly: true },
      updated_at: { type: 'string', format: 'date-time', readOnly: true },
    },
  },
  create: {
    type: 'object',
    additionalProperties: false,
    required: ['email', 'full_name'],
    properties: {
      email: { type: 'string', maxLength: 255 },
      full_name: { type: 'string', maxLength: 150 },
      phone: { type: ['string', 'null'], maxLength: 30 },
      marketing_opt_in: { type: 'boolean', default: false },
    },
  },
  update: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      email: { type: 'string', maxLength: 255 },
      full_name: { type: 'string', maxLength: 150 },
      phone: { type: ['string', 'null'], maxLength: 30 },
      marketing_opt_in: { type: 'boolean' },
    },
  },
  replace: {
    type: 'object',
    additionalProperties: false,
    required: ['email', 'full_name'],
    properties: {
      email: { type: 'string', maxLength: 255 },
      full_name: { type: 'string', maxLength: 150 },
      phone: { type: ['string', 'null'], maxLength: 30 },
      marketing_opt_in: { type: 'boolean', default: false },
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
        enum: ['id', 'email', 'full_name', 'phone', 'marketing_opt_in', 'created_at', 'updated_at'],
        description: 'property to sort by',
      },
      order: { type: 'string', enum: ['asc', 'desc'], default: 'asc', description: 'sort direction' },
      id: { type: 'string', format: 'uuid', description: 'only rows whose id equals this value' },
      email: { type: 'string', maxLength: 255, description: 'only rows whose email equals this value' },
      full_name: {
        type: 'string',
        maxLength: 150,
        description: 'only rows whose full_name equals this value',
      },
      phone: { type: 'string', maxLength: 30, description: 'only rows whose phone equals this value' },
      marketing_opt_in: { type: 'boolean', description: 'only rows whose marketing_opt_in equals this value' },
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

module.exports = { customersSchemas };
