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
      id: {
        type: ['string', 'integer'],
        pattern: '^(?:-(?:[1-9]|[1-9]\\d|[1-9]\\d{2}|[1-9]\\d{3}|[1-9]\\d{4}|[1-9]\\d{5}|[1-9]\\d{6}|[1-9]\\d{7}|[1-9]\\d{8}|[1-9]\\d{9}|[1-9]\\d{10}|[1-9]\\d{11}|[1-9]\\d{12}|[1-9]\\d{13}|[1-9]\\d{14}|[1-9]\\d{15}|[1-9]\\d{16}|[1-9]\\d{17}|[1-8]\\d{18}|9[01]\\d{17}|92[01]\\d{16}|922[0-2]\\d{15}|9223[0-2]\\d{14}|92233[0-6]\\d{13}|922337[01]\\d{12}|92233720[0-2]\\d{10}|922337203[0-5]\\d{9}|9223372036[0-7]\\d{8}|92233720368[0-4]\\d{7}|922337203685[0-3]\\d{6}|9223372036854[0-6]\\d{5}|92233720368547[0-6]\\d{4}|922337203685477[0-4]\\d{3}|9223372036854775[0-7]\\d{2}|922337203685477580[0-8])|\\d|[1-9]\\d|[1-9]\\d{2}|[1-9]\\d{3}|[1-9]\\d{4}|[1-9]\\d{5}|[1-9]\\d{6}|[1-9]\\d{7}|[1-9]\\d{8}|[1-9]\\d{9}|[1-9]\\d{10}|[1-9]\\d{11}|[1-9]\\d{12}|[1-9]\\d{13}|[1-9]\\d{14}|[1-9]\\d{15}|[1-9]\\d{16}|[1-9]\\d{17}|[1-8]\\d{18}|9[01]\\d{17}|92[01]\\d{16}|922[0-2]\\d{15}|9223[0-2]\\d{14}|92233[0-6]\\d{13}|922337[01]\\d{12}|92233720[0-2]\\d{10}|922337203[0-5]\\d{9}|9223372036[0-7]\\d{8}|92233720368[0-4]\\d{7}|922337203685[0-3]\\d{6}|9223372036854[0-6]\\d{5}|92233720368547[0-6]\\d{4}|922337203685477[0-4]\\d{3}|9223372036854775[0-7]\\d{2}|922337203685477580[0-7])$',
        minimum: -9007199254740991,
        maximum: 9007199254740991,
        'x-expected': 'must be an integer from -9223372036854775808 to 9223372036854775807, as a string of digits (exact beyond 2^53) or a JSON integer of at most 2^53 - 1',
        readOnly: true,
      },
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
      offset: {
        type: 'integer',
        minimum: 0,
        maximum: 10000,
        default: 0,
        description: 'rows to skip (at most 10000; read further with `cursor`)',
      },
      cursor: {
        type: 'string',
        minLength: 1,
        maxLength: 4096,
        pattern: '^[A-Za-z0-9_-]+$',
        description: 'opaque: `meta.next_cursor` of the previous page, with the same sort and order; continues after that page\'s last row (keyset pagination, no offset)',
      },
      count: {
        type: 'boolean',
        default: true,
        description: 'false skips counting the matching rows (`meta.total` is null); when true the page and the total come from one snapshot',
      },
      sort: { type: 'string', enum: ['id', 'postId', 'tagId'], description: 'property to sort by' },
      order: { type: 'string', enum: ['asc', 'desc'], default: 'asc', description: 'sort direction' },
      id: {
        type: ['string', 'integer'],
        pattern: '^(?:-(?:[1-9]|[1-9]\\d|[1-9]\\d{2}|[1-9]\\d{3}|[1-9]\\d{4}|[1-9]\\d{5}|[1-9]\\d{6}|[1-9]\\d{7}|[1-9]\\d{8}|[1-9]\\d{9}|[1-9]\\d{10}|[1-9]\\d{11}|[1-9]\\d{12}|[1-9]\\d{13}|[1-9]\\d{14}|[1-9]\\d{15}|[1-9]\\d{16}|[1-9]\\d{17}|[1-8]\\d{18}|9[01]\\d{17}|92[01]\\d{16}|922[0-2]\\d{15}|9223[0-2]\\d{14}|92233[0-6]\\d{13}|922337[01]\\d{12}|92233720[0-2]\\d{10}|922337203[0-5]\\d{9}|9223372036[0-7]\\d{8}|92233720368[0-4]\\d{7}|922337203685[0-3]\\d{6}|9223372036854[0-6]\\d{5}|92233720368547[0-6]\\d{4}|922337203685477[0-4]\\d{3}|9223372036854775[0-7]\\d{2}|922337203685477580[0-8])|\\d|[1-9]\\d|[1-9]\\d{2}|[1-9]\\d{3}|[1-9]\\d{4}|[1-9]\\d{5}|[1-9]\\d{6}|[1-9]\\d{7}|[1-9]\\d{8}|[1-9]\\d{9}|[1-9]\\d{10}|[1-9]\\d{11}|[1-9]\\d{12}|[1-9]\\d{13}|[1-9]\\d{14}|[1-9]\\d{15}|[1-9]\\d{16}|[1-9]\\d{17}|[1-8]\\d{18}|9[01]\\d{17}|92[01]\\d{16}|922[0-2]\\d{15}|9223[0-2]\\d{14}|92233[0-6]\\d{13}|922337[01]\\d{12}|92233720[0-2]\\d{10}|922337203[0-5]\\d{9}|9223372036[0-7]\\d{8}|92233720368[0-4]\\d{7}|922337203685[0-3]\\d{6}|9223372036854[0-6]\\d{5}|92233720368547[0-6]\\d{4}|922337203685477[0-4]\\d{3}|9223372036854775[0-7]\\d{2}|922337203685477580[0-7])$',
        minimum: -9007199254740991,
        maximum: 9007199254740991,
        'x-expected': 'must be an integer from -9223372036854775808 to 9223372036854775807, as a string of digits (exact beyond 2^53) or a JSON integer of at most 2^53 - 1',
        description: 'only rows whose id equals this value',
      },
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
    properties: {
      id: {
        type: ['string', 'integer'],
        pattern: '^(?:-(?:[1-9]|[1-9]\\d|[1-9]\\d{2}|[1-9]\\d{3}|[1-9]\\d{4}|[1-9]\\d{5}|[1-9]\\d{6}|[1-9]\\d{7}|[1-9]\\d{8}|[1-9]\\d{9}|[1-9]\\d{10}|[1-9]\\d{11}|[1-9]\\d{12}|[1-9]\\d{13}|[1-9]\\d{14}|[1-9]\\d{15}|[1-9]\\d{16}|[1-9]\\d{17}|[1-8]\\d{18}|9[01]\\d{17}|92[01]\\d{16}|922[0-2]\\d{15}|9223[0-2]\\d{14}|92233[0-6]\\d{13}|922337[01]\\d{12}|92233720[0-2]\\d{10}|922337203[0-5]\\d{9}|9223372036[0-7]\\d{8}|92233720368[0-4]\\d{7}|922337203685[0-3]\\d{6}|9223372036854[0-6]\\d{5}|92233720368547[0-6]\\d{4}|922337203685477[0-4]\\d{3}|9223372036854775[0-7]\\d{2}|922337203685477580[0-8])|\\d|[1-9]\\d|[1-9]\\d{2}|[1-9]\\d{3}|[1-9]\\d{4}|[1-9]\\d{5}|[1-9]\\d{6}|[1-9]\\d{7}|[1-9]\\d{8}|[1-9]\\d{9}|[1-9]\\d{10}|[1-9]\\d{11}|[1-9]\\d{12}|[1-9]\\d{13}|[1-9]\\d{14}|[1-9]\\d{15}|[1-9]\\d{16}|[1-9]\\d{17}|[1-8]\\d{18}|9[01]\\d{17}|92[01]\\d{16}|922[0-2]\\d{15}|9223[0-2]\\d{14}|92233[0-6]\\d{13}|922337[01]\\d{12}|92233720[0-2]\\d{10}|922337203[0-5]\\d{9}|9223372036[0-7]\\d{8}|92233720368[0-4]\\d{7}|922337203685[0-3]\\d{6}|9223372036854[0-6]\\d{5}|92233720368547[0-6]\\d{4}|922337203685477[0-4]\\d{3}|9223372036854775[0-7]\\d{2}|922337203685477580[0-7])$',
        minimum: -9007199254740991,
        maximum: 9007199254740991,
        'x-expected': 'must be an integer from -9223372036854775808 to 9223372036854775807, as a string of digits (exact beyond 2^53) or a JSON integer of at most 2^53 - 1',
      },
    },
  },
  endpoints: {},
};

module.exports = { postTagsSchemas };
