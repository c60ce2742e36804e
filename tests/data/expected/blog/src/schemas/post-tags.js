'use strict';

// JSON Schemas of post tags ("post_tags"): request validation and the OpenAPI document
// both read them. `row` is what the API returns; the others are what it accepts.
const postTagsSchemas = {
  row: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'postId', 'tagId'],
    description: 'Tags on posts',
    properties: {
      id: { type: 'integer', readOnly: true },
      postId: { type: 'string', format: 'uuid' },
      tagId: { type: 'integer', minimum: -2147483648, maximum: 2147483647 },
    },
  },
  create: {
    type: 'object',
    additionalProperties: false,
    required: ['postId', 'tagId'],
    properties: {
      postId: { type: 'string', format: 'uuid' },
      tagId: { type: 'integer', minimum: -2147483648, maximum: 2147483647 },
    },
  },
  update: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      postId: { type: 'string', format: 'uuid' },
      tagId: { type: 'integer', minimum: -2147483648, maximum: 2147483647 },
    },
  },
  replace: {
    type: 'object',
    additionalProperties: false,
    required: ['postId', 'tagId'],
    properties: {
      postId: { type: 'string', format: 'uuid' },
      tagId: { type: 'integer', minimum: -2147483648, maximum: 2147483647 },
    },
  },
  listQuery: {
    type: 'object',
    additionalProperties: false,
    properties: {
      limit: { type: 'integer', minimum: 1, default: 20, description: 'page size (at most 100)' },
      offset: { type: 'integer', minimum: 0, default: 0, description: 'rows to skip' },
      sort: { type: 'string', enum: ['id', 'postId', 'tagId'], description: 'property to sort by' },
      order: { type: 'string', enum: ['asc', 'desc'], default: 'asc', description: 'sort direction' },
      id: { type: 'integer', description: 'only rows whose id equals this value' },
      postId: {
        type: 'string',
        format: 'uuid',
        description: 'only rows whose postId equals this value',
      },
      tagId: {
        type: 'integer',
        minimum: -2147483648,
        maximum: 2147483647,
        description: 'only rows whose tagId equals this value',
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

module.exports = { postTagsSchemas };
