'use strict';

// JSON Schemas of posts ("posts"): request validation and the OpenAPI document
// both read them. `row` is what the API returns; the others are what it accepts.
const postsSchemas = {
  row: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'authorId', 'title', 'slug', 'body', 'published', 'publishedAt', 'viewCount'],
    description: 'Blog posts',
    properties: {
      id: { type: 'string', format: 'uuid', readOnly: true },
      authorId: { type: 'string', format: 'uuid' },
      title: { type: 'string', maxLength: 255 },
      slug: { type: 'string', maxLength: 255 },
      body: { type: 'string' },
      published: { type: ['boolean', 'null'] },
      publishedAt: { type: ['string', 'null'], format: 'date-time' },
      viewCount: { type: ['integer', 'null'], minimum: -2147483648, maximum: 2147483647 },
    },
  },
  create: {
    type: 'object',
    additionalProperties: false,
    required: ['authorId', 'title', 'slug', 'body'],
    properties: {
      authorId: { type: 'string', format: 'uuid' },
      title: { type: 'string', maxLength: 255 },
      slug: { type: 'string', maxLength: 255 },
      body: { type: 'string' },
      published: { type: ['boolean', 'null'] },
      publishedAt: { type: ['string', 'null'], format: 'date-time' },
      viewCount: { type: ['integer', 'null'], minimum: -2147483648, maximum: 2147483647 },
    },
  },
  update: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      authorId: { type: 'string', format: 'uuid' },
      title: { type: 'string', maxLength: 255 },
      slug: { type: 'string', maxLength: 255 },
      body: { type: 'string' },
      published: { type: ['boolean', 'null'] },
      publishedAt: { type: ['string', 'null'], format: 'date-time' },
      viewCount: { type: ['integer', 'null'], minimum: -2147483648, maximum: 2147483647 },
    },
  },
  replace: {
    type: 'object',
    additionalProperties: false,
    required: ['authorId', 'title', 'slug', 'body'],
    properties: {
      authorId: { type: 'string', format: 'uuid' },
      title: { type: 'string', maxLength: 255 },
      slug: { type: 'string', maxLength: 255 },
      body: { type: 'string' },
      published: { type: ['boolean', 'null'] },
      publishedAt: { type: ['string', 'null'], format: 'date-time' },
      viewCount: { type: ['integer', 'null'], minimum: -2147483648, maximum: 2147483647 },
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
        enum: ['id', 'authorId', 'title', 'slug', 'body', 'published', 'publishedAt', 'viewCount'],
        description: 'property to sort by',
      },
      order: { type: 'string', enum: ['asc', 'desc'], default: 'asc', description: 'sort direction' },
      id: { type: 'string', format: 'uuid', description: 'only rows whose id equals this value' },
      authorId: {
        type: 'string',
        format: 'uuid',
        description: 'only rows whose authorId equals this value',
      },
      title: { type: 'string', maxLength: 255, description: 'only rows whose title equals this value' },
      slug: { type: 'string', maxLength: 255, description: 'only rows whose slug equals this value' },
      body: { type: 'string', description: 'only rows whose body equals this value' },
      published: { type: 'boolean', description: 'only rows whose published equals this value' },
      publishedAt: {
        type: 'string',
        format: 'date-time',
        description: 'only rows whose publishedAt equals this value',
      },
      viewCount: {
        type: 'integer',
        minimum: -2147483648,
        maximum: 2147483647,
        description: 'only rows whose viewCount equals this value',
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
    publishPost: {
      params: {
        type: 'object',
        additionalProperties: false,
        required: ['id'],
        properties: { id: { type: 'string', format: 'uuid' } },
      },
    },
  },
};

module.exports = { postsSchemas };
