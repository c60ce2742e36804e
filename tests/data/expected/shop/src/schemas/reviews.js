'use strict';

// JSON Schemas of reviews ("reviews"): request validation and the OpenAPI document
// both read them. `row` is what the API returns; the others are what it accepts.
const reviewsSchemas = {
  row: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'product_id', 'customer_id', 'rating', 'title', 'body', 'created_at', 'updated_at'],
    properties: {
      id: { type: 'string', format: 'uuid', readOnly: true },
      product_id: { type: 'string', format: 'uuid' },
      customer_id: { type: ['string', 'null'], format: 'uuid' },
      rating: { type: 'integer', minimum: 1, maximum: 5 },
      title: { type: ['string', 'null'], maxLength: 120 },
      body: { type: ['string', 'null'] },
      created_at: { type: 'string', format: 'date-time', readOnly: true },
      updated_at: { type: 'string', format: 'date-time', readOnly: true },
    },
  },
  create: {
    type: 'object',
    additionalProperties: false,
    required: ['product_id', 'rating'],
    properties: {
      product_id: { type: 'string', format: 'uuid' },
      customer_id: { type: ['string', 'null'], format: 'uuid' },
      rating: { type: 'integer', minimum: 1, maximum: 5 },
      title: { type: ['string', 'null'], maxLength: 120 },
      body: { type: ['string', 'null'] },
    },
  },
  update: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      product_id: { type: 'string', format: 'uuid' },
      customer_id: { type: ['string', 'null'], format: 'uuid' },
      rating: { type: 'integer', minimum: 1, maximum: 5 },
      title: { type: ['string', 'null'], maxLength: 120 },
      body: { type: ['string', 'null'] },
    },
  },
  replace: {
    type: 'object',
    additionalProperties: false,
    required: ['product_id', 'rating'],
    properties: {
      product_id: { type: 'string', format: 'uuid' },
      customer_id: { type: ['string', 'null'], format: 'uuid' },
      rating: { type: 'integer', minimum: 1, maximum: 5 },
      title: { type: ['string', 'null'], maxLength: 120 },
      body: { type: ['string', 'null'] },
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
          'product_id',
          'customer_id',
          'rating',
          'title',
          'body',
          'created_at',
          'updated_at',
        ],
        description: 'property to sort by',
      },
      order: { type: 'string', enum: ['asc', 'desc'], default: 'asc', description: 'sort direction' },
      id: { type: 'string', format: 'uuid', description: 'only rows whose id equals this value' },
      product_id: {
        type: 'string',
        format: 'uuid',
        description: 'only rows whose product_id equals this value',
      },
      customer_id: {
        type: 'string',
        format: 'uuid',
        description: 'only rows whose customer_id equals this value',
      },
      rating: {
        type: 'integer',
        minimum: 1,
        maximum: 5,
        description: 'only rows whose rating equals this value',
      },
      title: { type: 'string', maxLength: 120, description: 'only rows whose title equals this value' },
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

module.exports = { reviewsSchemas };
