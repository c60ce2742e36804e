'use strict';

// JSON Schemas of orders ("orders"): request validation and the OpenAPI document
// both read them. `row` is what the API returns; the others are what it accepts.
const ordersSchemas = {
  row: {
    type: 'object',
    additionalProperties: false,
    required: [
      'id',
      'customer_id',
      'shipping_address_id',
      'status',
      'placed_at',
      'total',
      'created_at',
      'updated_at',
    ],
    properties: {
      id: { type: 'string', format: 'uuid', readOnly: true },
      customer_id: { type: 'string', format: 'uuid' },
      shipping_address_id: { type: ['integer', 'null'], minimum: -2147483648, maximum: 2147483647 },
      status: { type: 'string', enum: ['pending', 'paid', 'shipped', 'cancelled'] },
      placed_at: { type: 'string', format: 'date-time' },
      total: { type: 'number', exclusiveMaximum: 10000000000, minimum: 0 },
      created_at: { type: 'string', format: 'date-time', readOnly: true },
      updated_at: { type: 'string', format: 'date-time', readOnly: true },
    },
  },
  create: {
    type: 'object',
    additionalProperties: false,
    required: ['customer_id', 'placed_at', 'total'],
    properties: {
      customer_id: { type: 'string', format: 'uuid' },
      shipping_address_id: { type: ['integer', 'null'], minimum: -2147483648, maximum: 2147483647 },
      status: { type: 'string', enum: ['pending', 'paid', 'shipped', 'cancelled'], default: 'pending' },
      placed_at: { type: 'string', format: 'date-time' },
      total: { type: 'number', exclusiveMaximum: 10000000000, minimum: 0 },
    },
  },
  update: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      customer_id: { type: 'string', format: 'uuid' },
      shipping_address_id: { type: ['integer', 'null'], minimum: -2147483648, maximum: 2147483647 },
      status: { type: 'string', enum: ['pending', 'paid', 'shipped', 'cancelled'] },
      placed_at: { type: 'string', format: 'date-time' },
      total: { type: 'number', exclusiveMaximum: 10000000000, minimum: 0 },
    },
  },
  replace: {
    type: 'object',
    additionalProperties: false,
    required: ['customer_id', 'placed_at', 'total'],
    properties: {
      customer_id: { type: 'string', format: 'uuid' },
      shipping_address_id: { type: ['integer', 'null'], minimum: -2147483648, maximum: 2147483647 },
      status: { type: 'string', enum: ['pending', 'paid', 'shipped', 'cancelled'], default: 'pending' },
      placed_at: { type: 'string', format: 'date-time' },
      total: { type: 'number', exclusiveMaximum: 10000000000, minimum: 0 },
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
          'customer_id',
          'shipping_address_id',
          'status',
          'placed_at',
          'total',
          'created_at',
          'updated_at',
        ],
        description: 'property to sort by',
      },
      order: { type: 'string', enum: ['asc', 'desc'], default: 'asc', description: 'sort direction' },
      id: { type: 'string', format: 'uuid', description: 'only rows whose id equals this value' },
      customer_id: {
        type: 'string',
        format: 'uuid',
        description: 'only rows whose customer_id equals this value',
      },
      shipping_address_id: {
        type: 'integer',
        minimum: -2147483648,
        maximum: 2147483647,
        description: 'only rows whose shipping_address_id equals this value',
      },
      status: {
        type: 'string',
        enum: ['pending', 'paid', 'shipped', 'cancelled'],
        description: 'only rows whose status equals this value',
      },
      placed_at: {
        type: 'string',
        format: 'date-time',
        description: 'only rows whose placed_at equals this value',
      },
      total: {
        type: 'number',
        exclusiveMaximum: 10000000000,
        minimum: 0,
        description: 'only rows whose total equals this value',
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

module.exports = { ordersSchemas };
