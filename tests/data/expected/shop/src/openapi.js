'use strict';

const { config } = require('./utils/config');
const { JSON_VALUE } = require('./utils/validation');
const { customersSchemas } = require('./schemas/customers');
const { addressesSchemas } = require('./schemas/addresses');
const { categoriesSchemas } = require('./schemas/categories');
const { productsSchemas } = require('./schemas/products');
const { productCategoriesSchemas } = require('./schemas/product-categories');
const { ordersSchemas } = require('./schemas/orders');
const { orderItemsSchemas } = require('./schemas/order-items');
const { reviewsSchemas } = require('./schemas/reviews');

// The OpenAPI 3.1 document, built at startup from the same JSON Schemas that
// validate requests, so the documentation cannot drift from the behaviour.
const INFO = {
  title: 'Corner Shop',
  version: '0.1.0',
  description: 'Catalogue, carts and orders for a small online shop.',
};

// One entry per table: its schemas, paths, operation ids and whether writes need a token.
const RESOURCES = [
  {
    tag: 'customers',
    name: 'Customer',
    label: 'customer',
    aLabel: 'a customer',
    labelPlural: 'customers',
    schemas: customersSchemas,
    collectionPath: '/customers',
    itemPath: '/customers/{id}',
    operationIds: {
      list: 'listCustomers',
      get: 'getCustomer',
      create: 'createCustomer',
      update: 'updateCustomer',
      replace: 'replaceCustomer',
      delete: 'deleteCustomer',
    },
    createLinks: {
      GetById: {
        operationId: 'getCustomer',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the get operation\'s path',
      },
      ReplaceById: {
        operationId: 'replaceCustomer',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the replace operation\'s path',
      },
      UpdateById: {
        operationId: 'updateCustomer',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the update operation\'s path',
      },
      DeleteById: {
        operationId: 'deleteCustomer',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the delete operation\'s path',
      },
    },
    auth: { list: false, read: false, create: false, update: false, delete: false },
    served: { list: true, read: true, create: true, update: true, delete: true },
  },
  {
    tag: 'addresses',
    name: 'Address',
    label: 'address',
    aLabel: 'an address',
    labelPlural: 'addresses',
    schemas: addressesSchemas,
    collectionPath: '/addresses',
    itemPath: '/addresses/{id}',
    operationIds: {
      list: 'listAddresses',
      get: 'getAddress',
      create: 'createAddress',
      update: 'updateAddress',
      replace: 'replaceAddress',
      delete: 'deleteAddress',
    },
    createLinks: {
      GetById: {
        operationId: 'getAddress',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the get operation\'s path',
      },
      ReplaceById: {
        operationId: 'replaceAddress',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the replace operation\'s path',
      },
      UpdateById: {
        operationId: 'updateAddress',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the update operation\'s path',
      },
      DeleteById: {
        operationId: 'deleteAddress',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the delete operation\'s path',
      },
    },
    auth: { list: false, read: false, create: false, update: false, delete: false },
    served: { list: true, read: true, create: true, update: true, delete: true },
  },
  {
    tag: 'categories',
    name: 'Category',
    label: 'category',
    aLabel: 'a category',
    labelPlural: 'categories',
    schemas: categoriesSchemas,
    collectionPath: '/categories',
    itemPath: '/categories/{id}',
    operationIds: {
      list: 'listCategories',
      get: 'getCategory',
      create: 'createCategory',
      update: 'updateCategory',
      replace: 'replaceCategory',
      delete: 'deleteCategory',
    },
    createLinks: {
      GetById: {
        operationId: 'getCategory',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the get operation\'s path',
      },
      ReplaceById: {
        operationId: 'replaceCategory',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the replace operation\'s path',
      },
      UpdateById: {
        operationId: 'updateCategory',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the update operation\'s path',
      },
      DeleteById: {
        operationId: 'deleteCategory',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the delete operation\'s path',
      },
    },
    auth: { list: false, read: false, create: false, update: false, delete: false },
    served: { list: true, read: true, create: true, update: true, delete: true },
  },
  {
    tag: 'products',
    name: 'Product',
    label: 'product',
    aLabel: 'a product',
    labelPlural: 'products',
    schemas: productsSchemas,
    collectionPath: '/products',
    itemPath: '/products/{id}',
    operationIds: {
      list: 'listProducts',
      get: 'getProduct',
      create: 'createProduct',
      update: 'updateProduct',
      replace: 'replaceProduct',
      delete: 'deleteProduct',
    },
    createLinks: {
      GetById: {
        operationId: 'getProduct',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the get operation\'s path',
      },
      ReplaceById: {
        operationId: 'replaceProduct',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the replace operation\'s path',
      },
      UpdateById: {
        operationId: 'updateProduct',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the update operation\'s path',
      },
      DeleteById: {
        operationId: 'deleteProduct',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the delete operation\'s path',
      },
    },
    auth: { list: false, read: false, create: false, update: false, delete: false },
    served: { list: true, read: true, create: true, update: true, delete: true },
  },
  {
    tag: 'product_categories',
    name: 'ProductCategory',
    label: 'product category',
    aLabel: 'a product category',
    labelPlural: 'product categories',
    schemas: productCategoriesSchemas,
    collectionPath: '/product-categories',
    itemPath: '/product-categories/{product_id}/{category_id}',
    operationIds: {
      list: 'listProductCategories',
      get: 'getProductCategory',
      create: 'createProductCategory',
      update: 'updateProductCategory',
      replace: 'replaceProductCategory',
      delete: 'deleteProductCategory',
    },
    createLinks: {
      GetById: {
        operationId: 'getProductCategory',
        parameters: { product_id: '$response.body#/product_id', category_id: '$response.body#/category_id' },
        description: 'The new row\'s key as the get operation\'s path',
      },
      DeleteById: {
        operationId: 'deleteProductCategory',
        parameters: { product_id: '$response.body#/product_id', category_id: '$response.body#/category_id' },
        description: 'The new row\'s key as the delete operation\'s path',
      },
    },
    auth: { list: false, read: false, create: false, update: false, delete: false },
    served: { list: true, read: true, create: true, update: true, delete: true },
  },
  {
    tag: 'orders',
    name: 'Order',
    label: 'order',
    aLabel: 'an order',
    labelPlural: 'orders',
    schemas: ordersSchemas,
    collectionPath: '/orders',
    itemPath: '/orders/{id}',
    operationIds: {
      list: 'listOrders',
      get: 'getOrder',
      create: 'createOrder',
      update: 'updateOrder',
      replace: 'replaceOrder',
      delete: 'deleteOrder',
    },
    createLinks: {
      GetById: {
        operationId: 'getOrder',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the get operation\'s path',
      },
      ReplaceById: {
        operationId: 'replaceOrder',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the replace operation\'s path',
      },
      UpdateById: {
        operationId: 'updateOrder',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the update operation\'s path',
      },
      DeleteById: {
        operationId: 'deleteOrder',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the delete operation\'s path',
      },
    },
    auth: { list: false, read: false, create: false, update: false, delete: false },
    served: { list: true, read: true, create: true, update: true, delete: true },
  },
  {
    tag: 'order_items',
    name: 'OrderItem',
    label: 'order item',
    aLabel: 'an order item',
    labelPlural: 'order items',
    schemas: orderItemsSchemas,
    collectionPath: '/order-items',
    itemPath: '/order-items/{id}',
    operationIds: {
      list: 'listOrderItems',
      get: 'getOrderItem',
      create: 'createOrderItem',
      update: 'updateOrderItem',
      replace: 'replaceOrderItem',
      delete: 'deleteOrderItem',
    },
    createLinks: {
      GetById: {
        operationId: 'getOrderItem',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the get operation\'s path',
      },
      ReplaceById: {
        operationId: 'replaceOrderItem',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the replace operation\'s path',
      },
      UpdateById: {
        operationId: 'updateOrderItem',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the update operation\'s path',
      },
      DeleteById: {
        operationId: 'deleteOrderItem',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the delete operation\'s path',
      },
    },
    auth: { list: false, read: false, create: false, update: false, delete: false },
    served: { list: true, read: true, create: true, update: true, delete: true },
  },
  {
    tag: 'reviews',
    name: 'Review',
    label: 'review',
    aLabel: 'a review',
    labelPlural: 'reviews',
    schemas: reviewsSchemas,
    collectionPath: '/reviews',
    itemPath: '/reviews/{id}',
    operationIds: {
      list: 'listReviews',
      get: 'getReview',
      create: 'createReview',
      update: 'updateReview',
      replace: 'replaceReview',
      delete: 'deleteReview',
    },
    createLinks: {
      GetById: {
        operationId: 'getReview',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the get operation\'s path',
      },
      ReplaceById: {
        operationId: 'replaceReview',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the replace operation\'s path',
      },
      UpdateById: {
        operationId: 'updateReview',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the update operation\'s path',
      },
      DeleteById: {
        operationId: 'deleteReview',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the delete operation\'s path',
      },
    },
    auth: { list: false, read: false, create: false, update: false, delete: false },
    served: { list: true, read: true, create: true, update: true, delete: true },
  },
];

// Endpoints declared in the spec: wired, documented, answering 501 until implemented.
const CUSTOM_ENDPOINTS = [
];

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        fields: {
          type: 'array',
          items: {
            type: 'object',
            required: ['field', 'message'],
            properties: { field: { type: 'string' }, message: { type: 'string' } },
          },
        },
      },
    },
  },
};

const PAGE_META = {
  type: 'object',
  required: ['total', 'limit', 'offset', 'next_cursor'],
  properties: {
    total: { type: ['integer', 'null'], description: 'rows matching the filters (null with count=false)' },
    limit: { type: 'integer' },
    offset: { type: 'integer' },
    next_cursor: {
      type: ['string', 'null'],
      description: 'pass as `cursor` (same sort and order) for the next page; null on the last page',
    },
  },
};

const ERROR_RESPONSES = {
  BadRequest: 'The request is not valid: see error.fields',
  UnsupportedMediaType: 'The request body must be JSON (Content-Type: application/json)',
  PayloadTooLarge: 'The request body is larger than JSON_BODY_LIMIT',
  Unauthorized: 'A valid bearer token is required',
  NotFound: 'No item has this key',
  TooManyRequests: 'Rate limited: retry after the number of seconds in Retry-After',
  ServiceUnavailable: 'The rate limit store (Redis) does not answer',
  Conflict: 'Conflicts with stored data: a duplicate unique value or a missing reference',
  NotImplemented: 'Declared in the spec but not implemented yet',
  InternalError: 'Unexpected server error',
};

function schemaRef(name) {
  return { $ref: `#/components/schemas/${name}` };
}

function responseRef(name) {
  return { $ref: `#/components/responses/${name}` };
}

function jsonContent(schema) {
  return { 'application/json': { schema } };
}

function parameters(schema, location) {
  const required = schema.required ?? [];
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || required.includes(name),
    schema: property,
  }));
}

function operation({ tag, operationId, summary, auth = false, params = [], body, responses }) {
  const op = { tags: [tag], operationId, summary, responses: { ...responses } };
  if (params.length > 0) {
    op.parameters = params;
  }
  if (body !== undefined) {
    op.requestBody = { required: true, content: jsonContent(body) };
    op.responses[413] = responseRef('PayloadTooLarge');
    op.responses[415] = responseRef('UnsupportedMediaType');
  }
  if (auth) {
    op.security = [{ bearerAuth: [] }];
    op.responses[401] = responseRef('Unauthorized');
  }
  // Every route but /health counts against the global rate limit.
  op.responses[429] = responseRef('TooManyRequests');
  op.responses[500] = responseRef('InternalError');
  op.responses[503] = responseRef('ServiceUnavailable');
  return op;
}

function collectionOperations(r) {
  const page = {
    type: 'object',
    required: ['data', 'meta'],
    properties: { data: { type: 'array', items: schemaRef(r.name) }, meta: schemaRef('PageMeta') },
  };
  const operations = {};
  if (r.served.list) {
    operations.get = operation({
      tag: r.tag,
      operationId: r.operationIds.list,
      auth: r.auth.list,
      summary: `List ${r.labelPlural}`,
      params: parameters(r.schemas.listQuery, 'query'),
      responses: {
        200: { description: `A page of ${r.labelPlural}`, content: jsonContent(page) },
        400: responseRef('BadRequest'),
      },
    });
  }
  if (r.served.create) {
    operations.post = operation({
      tag: r.tag,
      operationId: r.operationIds.create,
      summary: `Create ${r.aLabel}`,
      auth: r.auth.create,
      body: schemaRef(`${r.name}Create`),
      responses: {
        201: {
          description: `The new ${r.label}`,
          headers: { Location: { description: 'URL of the new item', schema: { type: 'string' } } },
          content: jsonContent(schemaRef(r.name)),
          links: r.createLinks,
        },
        400: responseRef('BadRequest'),
        409: responseRef('Conflict'),
      },
    });
  }
  return operations;
}

function itemOperations(r) {
  const key = parameters(r.schemas.params, 'path');
  const write = r.auth.update;
  const found = { description: `The ${r.label}`, content: jsonContent(schemaRef(r.name)) };
  const operations = {};
  if (r.served.read) {
    operations.get = operation({
      tag: r.tag,
      operationId: r.operationIds.get,
      summary: `Get ${r.aLabel}`,
      auth: r.auth.read,
      params: key,
      responses: { 200: found, 400: responseRef('BadRequest'), 404: responseRef('NotFound') },
    });
  }
  if (r.schemas.update !== undefined && r.served.update) {
    const changed = { 200: found, 400: responseRef('BadRequest'), 404: responseRef('NotFound'), 409: responseRef('Conflict') };
    operations.put = operation({
      tag: r.tag,
      operationId: r.operationIds.replace,
      summary: `Replace ${r.aLabel} (every property must be given; null clears a nullable one)`,
      auth: write,
      params: key,
      body: schemaRef(`${r.name}Replace`),
      responses: changed,
    });
    operations.patch = operation({
      tag: r.tag,
      operationId: r.operationIds.update,
      summary: `Update some properties of ${r.aLabel}`,
      auth: write,
      params: key,
      body: schemaRef(`${r.name}Update`),
      responses: changed,
    });
  }
  if (r.served.delete) {
    operations.delete = operation({
      tag: r.tag,
      operationId: r.operationIds.delete,
      summary: `Delete ${r.aLabel}`,
      auth: r.auth.delete,
      params: key,
      responses: {
        204: { description: 'Deleted' },
        400: responseRef('BadRequest'),
        404: responseRef('NotFound'),
        409: responseRef('Conflict'),
      },
    });
  }
  return operations;
}

function customOperation(e) {
  return operation({
    tag: e.tag,
    operationId: e.operationId,
    summary: e.summary,
    auth: e.auth,
    params: parameters(e.params, 'path'),
    responses: {
      200: { description: 'Success' },
      400: responseRef('BadRequest'),
      501: responseRef('NotImplemented'),
    },
  });
}

function addPaths(paths, more) {
  for (const [path, operations] of Object.entries(more)) {
    paths[path] = { ...paths[path], ...operations };
  }
}

function buildOpenApiDocument() {
  const paths = {};
  // JsonValue: what a json column's schema refers to (see utils/validation).
  const schemas = { Error: ERROR_SCHEMA, PageMeta: PAGE_META, JsonValue: JSON_VALUE };
  for (const r of RESOURCES) {
    addPaths(paths, { [r.collectionPath]: collectionOperations(r), [r.itemPath]: itemOperations(r) });
    schemas[r.name] = r.schemas.row;
    schemas[`${r.name}Create`] = r.schemas.create;
    if (r.schemas.update !== undefined) {
      schemas[`${r.name}Update`] = r.schemas.update;
      schemas[`${r.name}Replace`] = r.schemas.replace;
    }
  }
  for (const e of CUSTOM_ENDPOINTS) {
    addPaths(paths, { [e.path]: { [e.method]: customOperation(e) } });
  }
  const responses = Object.fromEntries(Object.entries(ERROR_RESPONSES).map(([name, description]) => [
    name,
    { description, content: jsonContent(schemaRef('Error')) },
  ]));
  responses.TooManyRequests.headers = {
    'Retry-After': { description: 'seconds until the limit resets', schema: { type: 'integer', minimum: 1 } },
  };
  const components = { schemas, responses };
  return {
    openapi: '3.1.0',
    info: INFO,
    servers: [{ url: config.apiPrefix || '/' }],
    tags: [
      { name: 'customers', description: 'Customers' },
      { name: 'addresses', description: 'Addresses' },
      { name: 'categories', description: 'Categories' },
      { name: 'products', description: 'Products' },
      { name: 'product_categories', description: 'Which categories a product is listed in.' },
      { name: 'orders', description: 'Orders' },
      { name: 'order_items', description: 'Order items' },
      { name: 'reviews', description: 'Reviews' },
    ],
    paths,
    components,
  };
}

module.exports = { buildOpenApiDocument };
