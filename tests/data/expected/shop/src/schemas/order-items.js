'use strict';

// JSON Schemas of order items ("order_items"): request validation and the OpenAPI document
// both read them. `row` is what the API returns; the others are what it accepts.
const orderItemsSchemas = {
  row: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'order_id', 'product_id', 'quantity', 'unit_price'],
    properties: {
      id: { type: 'integer', readOnly: true },
      order_id: { type: 'string', format: 'uuid' },
      product_id: { type: 'string', format: 'uuid' },
      quantity: { type: 'integer', minimum: 1, maximum: 2147483647 },
      unit_price: { type: 'number', exclusiveMaximum: 100000000, minimum: 0 },
    },
  },
  create: {
    type: 'object',
    additionalProperties: false,
    required: ['order_id', 'product_id', 'quantity', 'unit_price'],
    properties: {
      order_id: { type: 'string', format: 'uuid' },
      product_id: { type: 'string', format: 'uuid' },
      quantity: { type: 'integer', minimum: 1, maximum: 2147483647 },
      unit_price: { type: 'number', exclusiveMaximum: 100000000, minimum: 0 },
    },
  },
  update: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      order_id: { type: 'string', format: 'uuid' },
      product_id: { type: 'string', format: 'uuid' },
      quantity: { type: 'integer', minimum: 1, maximum: 2147483647 },
      unit_price: { type: 'number', exclusiveMaximum: 100000000, minimum: 0 },
    },
  },
  replace: {
    type: 'object',
    additionalProperties: false,
    required: ['order_id', 'product_id', 'quantity', 'unit_price'],
    properties: {
      order_id: { type: 'string', format: 'uuid' },
      product_id: { type: 'string', format: 'uuid' },
      quantity: { type: 'integer', minimum: 1, maximum: 2147483647 },
      unit_price: { type: 'number', exclusiveMaximum: 100000000, minimum: 0 },
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
        enum: ['id', 'order_id', 'product_id', 'quantity', 'unit_price'],
        description: 'property to sort by',
      },
      order: { type: 'string', enum: ['asc', 'desc'], default: 'asc', description: 'sort direction' },
      id: { type: 'integer', description: 'only rows whose id equals this value' },
      order_id: {
        type: 'string',
        format: 'uuid',
        description: 'only rows whose order_id equals this value',
      },
      product_id: {
        type: 'string',
        format: 'uuid',
        description: 'only rows whose product_id equals this value',
      },
      quantity: {
        type: 'integer',
        minimum: 1,
        maximum: 2147483647,
        description: 'only rows whose quantity equals this value',
      },
      unit_price: {
        type: 'number',
        exclusiveMaximum: 100000000,
        minimum: 0,
        description: 'only rows whose unit_price equals this value',
      },
    },
  },
  params: {
    type: 'object',
    additionalProperties: false,
    required: ['id'],
    properties: { id: { type: 'integer' } },
  },
  endpoints: {},
};

module.exports = { orderItemsSchemas };
