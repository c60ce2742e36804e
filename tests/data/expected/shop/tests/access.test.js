'use strict';

const { api, apiPath, itemPath, resetDatabase, closeDatabase } = require('./helpers');

// The authorisation matrix: who may list, read, create, update and delete the rows of
// every table (auth is off: every route is anonymous), and the
// status each one gets. backforge derived the cells from the effective access policy;
// `backforge verify` checks the same cells against the running app.
const CELLS = [
  {
    table: 'customers',
    operation: 'list',
    principal: 'anonymous',
    expected: 200,
    reason: 'list: auth is off: anyone',
    visible: true,
    served: true,
  },
  {
    table: 'customers',
    operation: 'read',
    principal: 'anonymous',
    expected: 200,
    reason: 'read: auth is off: anyone',
    visible: null,
    served: true,
  },
  {
    table: 'customers',
    operation: 'create',
    principal: 'anonymous',
    expected: 201,
    reason: 'create: auth is off: anyone',
    visible: null,
    served: true,
  },
  {
    table: 'customers',
    operation: 'update',
    principal: 'anonymous',
    expected: 200,
    reason: 'update: auth is off: anyone',
    visible: null,
    served: true,
  },
  {
    table: 'customers',
    operation: 'delete',
    principal: 'anonymous',
    expected: 204,
    reason: 'delete: auth is off: anyone',
    visible: null,
    served: true,
  },
  {
    table: 'addresses',
    operation: 'list',
    principal: 'anonymous',
    expected: 200,
    reason: 'list: auth is off: anyone',
    visible: true,
    served: true,
  },
  {
    table: 'addresses',
    operation: 'read',
    principal: 'anonymous',
    expected: 200,
    reason: 'read: auth is off: anyone',
    visible: null,
    served: true,
  },
  {
    table: 'addresses',
    operation: 'create',
    principal: 'anonymous',
    expected: 201,
    reason: 'create: auth is off: anyone',
    visible: null,
    served: true,
  },
  {
    table: 'addresses',
    operation: 'update',
    principal: 'anonymous',
    expected: 200,
    reason: 'update: auth is off: anyone',
    visible: null,
    served: true,
  },
  {
    table: 'addresses',
    operation: 'delete',
    principal: 'anonymous',
    expected: 204,
    reason: 'delete: auth is off: anyone',
    visible: null,
    served: true,
  },
  {
    table: 'categories',
    operation: 'list',
    principal: 'anonymous',
    expected: 200,
    reason: 'list: auth is off: anyone',
    visible: true,
    served: true,
  },
  {
    table: 'categories',
    operation: 'read',
    principal: 'anonymous',
    expected: 200,
    reason: 'read: auth is off: anyone',
    visible: null,
    served: true,
  },
  {
    table: 'categories',
    operation: 'create',
    principal: 'anonymous',
    expected: 201,
    reason: 'create: auth is off: anyone',
    visible: null,
    served: true,
  },
  {
    table: 'categories',
    operation: 'update',
    principal: 'anonymous',
    expected: 200,
    reason: 'update: auth is off: anyone',
    visible: null,
    served: true,
  },
  {
    table: 'categories',
    operation: 'delete',
    principal: 'anonymous',
    expected: 204,
    reason: 'delete: auth is off: anyone',
    visible: null,
    served: true,
  },
  {
    table: 'products',
    operation: 'list',
    principal: 'anonymous',
    expected: 200,
    reason: 'list: auth is off: anyone',
    visible: true,
    served: true,
  },
  {
    table: 'products',
    operation: 'read',
    principal: 'anonymous',
    expected: 200,
    reason: 'read: auth is off: anyone',
    visible: null,
    served: true,
  },
  {
    table: 'products',
    operation: 'create',
    principal: 'anonymous',
    expected: 201,
    reason: 'create: auth is off: anyone',
    visible: null,
    served: true,
  },
  {
    table: 'products',
    operation: 'update',
    principal: 'anonymous',
    expected: 200,
    reason: 'update: auth is off: anyone',
    visible: null,
    served: true,
  },
  {
    table: 'products',
    operation: 'delete',
    principal: 'anonymous',
    expected: 204,
    reason: 'delete: auth is off: anyone',
    visible: null,
    served: true,
  },
  {
    table: 'product_categories',
    operation: 'list',
    principal: 'anonymous',
    expected: 200,
    reason: 'list: auth is off: anyone',
    visible: true,
    served: true,
  },
  {
    table: 'product_categories',
    operation: 'read',
    principal: 'anonymous',
    expected: 200,
    reason: 'read: auth is off: anyone',
    visible: null,
    served: true,
  },
  {
    table: 'product_categories',
    operation: 'create',
    principal: 'anonymous',
    expected: 201,
    reason: 'create: auth is off: anyone',
    visible: null,
    served: true,
  },
  {
    table: 'product_categories',
    operation: 'update',
    principal: 'anonymous',
    expected: 405,
    reason: 'update: no updatable columns: not served, the path serves other methods',
    visible: null,
    served: false,
  },
  {
    table: 'product_categories',
    operation: 'delete',
    principal: 'anonymous',
    expected: 204,
    reason: 'delete: auth is off: anyone',
    visible: null,
    served: true,
  },
  {
    table: 'orders',
    operation: 'list',
    principal: 'anonymous',
    expected: 200,
    reason: 'list: auth is off: anyone',
    visible: true,
    served: true,
  },
  {
    table: 'orders',
    operation: 'read',
    principal: 'anonymous',
    expected: 200,
    reason: 'read: auth is off: anyone',
    visible: null,
    served: true,
  },
  {
    table: 'orders',
    operation: 'create',
    principal: 'anonymous',
    expected: 201,
    reason: 'create: auth is off: anyone',
    visible: null,
    served: true,
  },
  {
    table: 'orders',
    operation: 'update',
    principal: 'anonymous',
    expected: 200,
    reason: 'update: auth is off: anyone',
    visible: null,
    served: true,
  },
  {
    table: 'orders',
    operation: 'delete',
    principal: 'anonymous',
    expected: 204,
    reason: 'delete: auth is off: anyone',
    visible: null,
    served: true,
  },
  {
    table: 'order_items',
    operation: 'list',
    principal: 'anonymous',
    expected: 200,
    reason: 'list: auth is off: anyone',
    visible: true,
    served: true,
  },
  {
    table: 'order_items',
    operation: 'read',
    principal: 'anonymous',
    expected: 200,
    reason: 'read: auth is off: anyone',
    visible: null,
    served: true,
  },
  {
    table: 'order_items',
    operation: 'create',
    principal: 'anonymous',
    expected: 201,
    reason: 'create: auth is off: anyone',
    visible: null,
    served: true,
  },
  {
    table: 'order_items',
    operation: 'update',
    principal: 'anonymous',
    expected: 200,
    reason: 'update: auth is off: anyone',
    visible: null,
    served: true,
  },
  {
    table: 'order_items',
    operation: 'delete',
    principal: 'anonymous',
    expected: 204,
    reason: 'delete: auth is off: anyone',
    visible: null,
    served: true,
  },
  {
    table: 'reviews',
    operation: 'list',
    principal: 'anonymous',
    expected: 200,
    reason: 'list: auth is off: anyone',
    visible: true,
    served: true,
  },
  {
    table: 'reviews',
    operation: 'read',
    principal: 'anonymous',
    expected: 200,
    reason: 'read: auth is off: anyone',
    visible: null,
    served: true,
  },
  {
    table: 'reviews',
    operation: 'create',
    principal: 'anonymous',
    expected: 201,
    reason: 'create: auth is off: anyone',
    visible: null,
    served: true,
  },
  {
    table: 'reviews',
    operation: 'update',
    principal: 'anonymous',
    expected: 200,
    reason: 'update: auth is off: anyone',
    visible: null,
    served: true,
  },
  {
    table: 'reviews',
    operation: 'delete',
    principal: 'anonymous',
    expected: 204,
    reason: 'delete: auth is off: anyone',
    visible: null,
    served: true,
  },
];

// Per table, parents first: the bodies the cells send. {$ref: [table, property]} is a
// property of that table's row of the owner ('@admin': the admin's own account row);
// {$same: property} is the row's current value.
const TABLES = [
  {
    name: 'customers',
    var: 'customers',
    collection: '/customers',
    key: ['id'],
    users: false,
    owned: false,
    create: {
      owner: {
        email: 'user51@example.com',
        full_name: 'Full name 51',
        phone: 'Phone 51',
        marketing_opt_in: false,
      },
      admin: {
        email: 'user52@example.com',
        full_name: 'Full name 52',
        phone: 'Phone 52',
        marketing_opt_in: true,
      },
      other: {
        email: 'user53@example.com',
        full_name: 'Full name 53',
        phone: 'Phone 53',
        marketing_opt_in: false,
      },
      anonymous: {
        email: 'user54@example.com',
        full_name: 'Full name 54',
        phone: 'Phone 54',
        marketing_opt_in: true,
      },
    },
    fresh: [
      {
        email: 'user300@example.com',
        full_name: 'Full name 300',
        phone: 'Phone 300',
        marketing_opt_in: true,
      },
      {
        email: 'user301@example.com',
        full_name: 'Full name 301',
        phone: 'Phone 301',
        marketing_opt_in: false,
      },
      {
        email: 'user302@example.com',
        full_name: 'Full name 302',
        phone: 'Phone 302',
        marketing_opt_in: true,
      },
    ],
    update: {
      anonymous: { email: 'user71@example.com' },
      owner: { email: 'user74@example.com' },
      other: { email: 'user77@example.com' },
      admin: { email: 'user80@example.com' },
    },
    secret: [],
    rowless: false,
    missing: ['00000000-0000-4000-8000-000000000000'],
  },
  {
    name: 'addresses',
    var: 'addresses',
    collection: '/addresses',
    key: ['id'],
    users: false,
    owned: false,
    create: {
      owner: {
        customer_id: { $ref: ['customers', 'id', false] },
        line1: 'Line1 51',
        line2: 'Line2 51',
        city: 'City 51',
        postal_code: 'Postal code 51',
        country: 'BZ',
      },
      admin: {
        customer_id: { $ref: ['customers', 'id', false] },
        line1: 'Line1 52',
        line2: 'Line2 52',
        city: 'City 52',
        postal_code: 'Postal code 52',
        country: 'CA',
      },
      other: {
        customer_id: { $ref: ['customers', 'id', false] },
        line1: 'Line1 53',
        line2: 'Line2 53',
        city: 'City 53',
        postal_code: 'Postal code 53',
        country: 'CB',
      },
      anonymous: {
        customer_id: { $ref: ['customers', 'id', false] },
        line1: 'Line1 54',
        line2: 'Line2 54',
        city: 'City 54',
        postal_code: 'Postal code 54',
        country: 'CC',
      },
    },
    fresh: [
      {
        customer_id: { $ref: ['customers', 'id', false] },
        line1: 'Line1 300',
        line2: 'Line2 300',
        city: 'City 300',
        postal_code: 'Postal code 300',
        country: 'LO',
      },
      {
        customer_id: { $ref: ['customers', 'id', false] },
        line1: 'Line1 301',
        line2: 'Line2 301',
        city: 'City 301',
        postal_code: 'Postal code 301',
        country: 'LP',
      },
      {
        customer_id: { $ref: ['customers', 'id', false] },
        line1: 'Line1 302',
        line2: 'Line2 302',
        city: 'City 302',
        postal_code: 'Postal code 302',
        country: 'LQ',
      },
    ],
    update: {
      anonymous: { line1: 'Line1 71' },
      owner: { line1: 'Line1 74' },
      other: { line1: 'Line1 77' },
      admin: { line1: 'Line1 80' },
    },
    secret: [],
    rowless: false,
    missing: [2147483647],
  },
  {
    name: 'categories',
    var: 'categories',
    collection: '/categories',
    key: ['id'],
    users: false,
    owned: false,
    create: {
      owner: { name: 'Name 51' },
      admin: { name: 'Name 52' },
      other: { name: 'Name 53' },
      anonymous: { name: 'Name 54' },
    },
    fresh: [{ name: 'Name 300' }, { name: 'Name 301' }, { name: 'Name 302' }],
    update: {
      anonymous: { name: 'Name 71' },
      owner: { name: 'Name 74' },
      other: { name: 'Name 77' },
      admin: { name: 'Name 80' },
    },
    secret: [],
    rowless: false,
    missing: [2147483647],
  },
  {
    name: 'products',
    var: 'products',
    collection: '/products',
    key: ['id'],
    users: false,
    owned: false,
    create: {
      owner: {
        sku: 'Sku 51',
        name: 'Name 51',
        description: 'Sample description 51.',
        price: '52.25',
        stock: 51,
        attributes: { label: 'sample 51', rank: 51 },
        active: false,
      },
      admin: {
        sku: 'Sku 52',
        name: 'Name 52',
        description: 'Sample description 52.',
        price: '53.25',
        stock: 52,
        attributes: { label: 'sample 52', rank: 52 },
        active: true,
      },
      other: {
        sku: 'Sku 53',
        name: 'Name 53',
        description: 'Sample description 53.',
        price: '54.25',
        stock: 53,
        attributes: { label: 'sample 53', rank: 53 },
        active: false,
      },
      anonymous: {
        sku: 'Sku 54',
        name: 'Name 54',
        description: 'Sample description 54.',
        price: '55.25',
        stock: 54,
        attributes: { label: 'sample 54', rank: 54 },
        active: true,
      },
    },
    fresh: [
      {
        sku: 'Sku 300',
        name: 'Name 300',
        description: 'Sample description 300.',
        price: '301.25',
        stock: 300,
        attributes: { label: 'sample 300', rank: 300 },
        active: true,
      },
      {
        sku: 'Sku 301',
        name: 'Name 301',
        description: 'Sample description 301.',
        price: '302.25',
        stock: 301,
        attributes: { label: 'sample 301', rank: 301 },
        active: false,
      },
      {
        sku: 'Sku 302',
        name: 'Name 302',
        description: 'Sample description 302.',
        price: '303.25',
        stock: 302,
        attributes: { label: 'sample 302', rank: 302 },
        active: true,
      },
    ],
    update: {
      anonymous: { sku: 'Sku 71' },
      owner: { sku: 'Sku 74' },
      other: { sku: 'Sku 77' },
      admin: { sku: 'Sku 80' },
    },
    secret: [],
    rowless: false,
    missing: ['00000000-0000-4000-8000-000000000000'],
  },
  {
    name: 'product_categories',
    var: 'productCategories',
    collection: '/product-categories',
    key: ['product_id', 'category_id'],
    users: false,
    owned: false,
    create: {
      owner: {
        product_id: { $ref: ['products', 'id', false] },
        category_id: { $ref: ['categories', 'id', false] },
      },
      admin: {
        product_id: { $ref: ['products', 'id', false] },
        category_id: { $ref: ['categories', 'id', false] },
      },
      other: {
        product_id: { $ref: ['products', 'id', false] },
        category_id: { $ref: ['categories', 'id', false] },
      },
      anonymous: {
        product_id: { $ref: ['products', 'id', false] },
        category_id: { $ref: ['categories', 'id', false] },
      },
    },
    fresh: [
      {
        product_id: { $ref: ['products', 'id', false] },
        category_id: { $ref: ['categories', 'id', false] },
      },
      {
        product_id: { $ref: ['products', 'id', false] },
        category_id: { $ref: ['categories', 'id', false] },
      },
      {
        product_id: { $ref: ['products', 'id', false] },
        category_id: { $ref: ['categories', 'id', false] },
      },
    ],
    update: { anonymous: null, owner: null, other: null, admin: null },
    secret: [],
    rowless: false,
    missing: ['00000000-0000-4000-8000-000000000000', 2147483647],
  },
  {
    name: 'orders',
    var: 'orders',
    collection: '/orders',
    key: ['id'],
    users: false,
    owned: false,
    create: {
      owner: {
        customer_id: { $ref: ['customers', 'id', false] },
        shipping_address_id: { $ref: ['addresses', 'id', false] },
        status: 'cancelled',
        placed_at: '2024-04-24T10:30:00Z',
        total: '52.25',
      },
      admin: {
        customer_id: { $ref: ['customers', 'id', false] },
        shipping_address_id: { $ref: ['addresses', 'id', false] },
        status: 'pending',
        placed_at: '2024-05-25T10:30:00Z',
        total: '53.25',
      },
      other: {
        customer_id: { $ref: ['customers', 'id', false] },
        shipping_address_id: { $ref: ['addresses', 'id', false] },
        status: 'paid',
        placed_at: '2024-06-26T10:30:00Z',
        total: '54.25',
      },
      anonymous: {
        customer_id: { $ref: ['customers', 'id', false] },
        shipping_address_id: { $ref: ['addresses', 'id', false] },
        status: 'shipped',
        placed_at: '2024-07-27T10:30:00Z',
        total: '55.25',
      },
    },
    fresh: [
      {
        customer_id: { $ref: ['customers', 'id', false] },
        shipping_address_id: { $ref: ['addresses', 'id', false] },
        status: 'pending',
        placed_at: '2024-01-21T10:30:00Z',
        total: '301.25',
      },
      {
        customer_id: { $ref: ['customers', 'id', false] },
        shipping_address_id: { $ref: ['addresses', 'id', false] },
        status: 'paid',
        placed_at: '2024-02-22T10:30:00Z',
        total: '302.25',
      },
      {
        customer_id: { $ref: ['customers', 'id', false] },
        shipping_address_id: { $ref: ['addresses', 'id', false] },
        status: 'shipped',
        placed_at: '2024-03-23T10:30:00Z',
        total: '303.25',
      },
    ],
    update: {
      anonymous: { status: 'pending' },
      owner: { status: 'shipped' },
      other: { status: 'paid' },
      admin: { status: 'pending' },
    },
    secret: [],
    rowless: false,
    missing: ['00000000-0000-4000-8000-000000000000'],
  },
  {
    name: 'order_items',
    var: 'orderItems',
    collection: '/order-items',
    key: ['id'],
    users: false,
    owned: false,
    create: {
      owner: {
        order_id: { $ref: ['orders', 'id', false] },
        product_id: { $ref: ['products', 'id', false] },
        quantity: 52,
        unit_price: '52.25',
      },
      admin: {
        order_id: { $ref: ['orders', 'id', false] },
        product_id: { $ref: ['products', 'id', false] },
        quantity: 53,
        unit_price: '53.25',
      },
      other: {
        order_id: { $ref: ['orders', 'id', false] },
        product_id: { $ref: ['products', 'id', false] },
        quantity: 54,
        unit_price: '54.25',
      },
      anonymous: {
        order_id: { $ref: ['orders', 'id', false] },
        product_id: { $ref: ['products', 'id', false] },
        quantity: 55,
        unit_price: '55.25',
      },
    },
    fresh: [
      {
        order_id: { $ref: ['orders', 'id', false] },
        product_id: { $ref: ['products', 'id', false] },
        quantity: 301,
        unit_price: '301.25',
      },
      {
        order_id: { $ref: ['orders', 'id', false] },
        product_id: { $ref: ['products', 'id', false] },
        quantity: 302,
        unit_price: '302.25',
      },
      {
        order_id: { $ref: ['orders', 'id', false] },
        product_id: { $ref: ['products', 'id', false] },
        quantity: 303,
        unit_price: '303.25',
      },
    ],
    update: {
      anonymous: { quantity: 72 },
      owner: { quantity: 75 },
      other: { quantity: 78 },
      admin: { quantity: 81 },
    },
    secret: [],
    rowless: false,
    missing: [9007199254740991],
  },
  {
    name: 'reviews',
    var: 'reviews',
    collection: '/reviews',
    key: ['id'],
    users: false,
    owned: false,
    create: {
      owner: {
        product_id: { $ref: ['products', 'id', false] },
        customer_id: { $ref: ['customers', 'id', false] },
        rating: 2,
        title: 'Title 51',
        body: 'Sample body 51.',
      },
      admin: {
        product_id: { $ref: ['products', 'id', false] },
        customer_id: { $ref: ['customers', 'id', false] },
        rating: 3,
        title: 'Title 52',
        body: 'Sample body 52.',
      },
      other: {
        product_id: { $ref: ['products', 'id', false] },
        customer_id: { $ref: ['customers', 'id', false] },
        rating: 4,
        title: 'Title 53',
        body: 'Sample body 53.',
      },
      anonymous: {
        product_id: { $ref: ['products', 'id', false] },
        customer_id: { $ref: ['customers', 'id', false] },
        rating: 5,
        title: 'Title 54',
        body: 'Sample body 54.',
      },
    },
    fresh: [
      {
        product_id: { $ref: ['products', 'id', false] },
        customer_id: { $ref: ['customers', 'id', false] },
        rating: 1,
        title: 'Title 300',
        body: 'Sample body 300.',
      },
      {
        product_id: { $ref: ['products', 'id', false] },
        customer_id: { $ref: ['customers', 'id', false] },
        rating: 2,
        title: 'Title 301',
        body: 'Sample body 301.',
      },
      {
        product_id: { $ref: ['products', 'id', false] },
        customer_id: { $ref: ['customers', 'id', false] },
        rating: 3,
        title: 'Title 302',
        body: 'Sample body 302.',
      },
    ],
    update: {
      anonymous: { rating: 3 },
      owner: { rating: 5 },
      other: { rating: 3 },
      admin: { rating: 1 },
    },
    secret: [],
    rowless: false,
    missing: ['00000000-0000-4000-8000-000000000000'],
  },
];

const headers = {}; // principal -> request headers
const accounts = {}; // principal -> its account row
const rows = {}; // table var -> the owner's row every cell of that table works on
const extra = {}; // table var -> more rows the allowed deletes may remove
let fresh = 0;

function cellsOf(table, operation, order) {
  const found = CELLS.filter((c) => c.table === table && c.operation === operation);
  return order.map((who) => found.find((c) => c.principal === who)).filter(Boolean);
}

function resolve(body, row) {
  const out = {};
  for (const [prop, value] of Object.entries(body)) {
    const marker = value !== null && typeof value === 'object' && !Array.isArray(value);
    if (marker && value.$ref !== undefined) {
      const [table, key, asInteger] = value.$ref;
      const source = table.startsWith('@') ? accounts[table.slice(1)] : rows[table];
      if (source !== undefined) {
        // else the reference closes a cycle: the column is nullable
        out[prop] = asInteger ? Number(source[key]) : source[key];
      }
    } else if (marker && value.$same !== undefined) {
      out[prop] = row[value.$same];
    } else {
      out[prop] = value;
    }
  }
  return out;
}

function send(who, method, path, body) {
  let req = api()[method](apiPath(path));
  if (headers[who] !== undefined) {
    req = req.set(headers[who]);
  }
  return body === undefined ? req : req.send(body);
}

function itemOf(t, row) {
  return itemPath(t.collection, t.key.map((k) => row[k]));
}

function sameRow(t, a, b) {
  return t.key.every((k) => a[k] === b[k]);
}

async function adminRead(t, row) {
  const res = await send('anonymous', 'get', itemOf(t, row));
  return res.status === 200 ? res.body : null;
}

function judge(failures, cell, status, note = '') {
  if (status !== cell.expected || note) {
    failures.push(`${cell.principal} ${cell.operation} ${cell.table}: expected ${cell.expected}, `
      + `got ${status} (${cell.reason})${note ? `: ${note}` : ''}`);
  }
}

async function created(who, t, body) {
  const res = await send(who, 'post', t.collection, body);
  return res.status === 201 ? res.body : null;
}

beforeAll(async () => {
  await resetDatabase();
});

afterAll(closeDatabase);

async function createCells(t) {
  const failures = [];
  for (const cell of cellsOf(t.name, 'create', ['owner', 'admin', 'other', 'anonymous'])) {
    const res = await send(cell.principal, 'post', t.collection, resolve(t.create[cell.principal], {}));
    judge(failures, cell, res.status);
    if (res.status === 201 && !t.users && rows[t.var] === undefined) {
      rows[t.var] = res.body;
    } else if (res.status === 201) {
      (extra[t.var] ??= []).push(res.body);
    }
  }
  return failures;
}

async function listed(who, t, row) {
  let path = `${t.collection}?limit=100`;
  for (let page = 0; page < 20 && path; page += 1) {
    const res = await send(who, 'get', path);
    if (res.status !== 200) {
      return false;
    }
    if (res.body.data.some((r) => sameRow(t, r, row))) {
      return true;
    }
    const cursor = res.body.meta.next_cursor;
    path = cursor ? `${t.collection}?limit=100&cursor=${encodeURIComponent(cursor)}` : '';
  }
  return false;
}

async function rowCells(t) {
  const failures = [];
  const row = rows[t.var];
  expect(row).toBeDefined(); // no row of the owner could be made
  for (const cell of cellsOf(t.name, 'list', ['anonymous'])) {
    const res = await send(cell.principal, 'get', `${t.collection}?limit=1`);
    let note = '';
    if (res.status === 200 && cell.visible !== null
      && (await listed(cell.principal, t, row)) !== cell.visible) {
      note = cell.visible ? "the owner's row is missing" : "the owner's row is listed";
    }
    judge(failures, cell, res.status, note);
  }
  for (const cell of cellsOf(t.name, 'read', ['anonymous'])) {
    const res = await send(cell.principal, 'get', itemOf(t, row));
    const leaked = res.status === 200 ? t.secret.filter((p) => p in res.body) : [];
    judge(failures, cell, res.status, leaked.length ? `returned ${leaked.join(', ')}` : '');
  }
  for (const cell of cellsOf(t.name, 'update', ['anonymous'])) {
    const body = t.update[cell.principal];
    const before = await adminRead(t, row);
    const res = await send(cell.principal, 'patch', itemOf(t, row), body === null ? {} : resolve(body, row));
    const after = await adminRead(t, row);
    const allowed = cell.expected === 200;
    judge(failures, cell, res.status, !allowed && JSON.stringify(before) !== JSON.stringify(after)
      ? 'a refused update changed the row' : '');
    if (after !== null) {
      rows[t.var] = after; // children reference its current values
    }
  }
  return failures;
}

// A row an allowed delete may remove, and who removes it.
async function victim(t, who) {
  const spare = (extra[t.var] ?? []).pop();
  if (spare !== undefined) {
    return { row: spare, headers: headers[who] };
  }
  for (const creator of ['owner', 'admin', 'anonymous', 'other']) {
    const [cell] = cellsOf(t.name, 'create', [creator]);
    if (cell !== undefined && cell.expected === 201) {
      const body = t.fresh[fresh % t.fresh.length];
      fresh += 1;
      const row = await created(creator, t, resolve(body, {}));
      if (row !== null) {
        return { row, headers: headers[who] };
      }
    }
  }
  return null;
}

async function deleteCells(t) {
  const failures = [];
  const row = rows[t.var];
  const cells = cellsOf(t.name, 'delete', ['anonymous', 'other', 'admin', 'owner']);
  const allowed = cells.filter((c) => c.expected === 204);
  for (const cell of cells) {
    if (cell.expected !== 204) {
      const res = await send(cell.principal, 'delete', itemOf(t, row));
      const gone = res.status < 300 && (await adminRead(t, row)) === null;
      judge(failures, cell, res.status, gone ? 'a refused delete removed the row' : '');
      continue;
    }
    let target;
    if (cell === allowed[allowed.length - 1] && !t.users) {
      // The last allowed delete removes the owner's row; spare rows would block its parents.
      for (const spare of extra[t.var] ?? []) {
        await send(cell.principal, 'delete', itemOf(t, spare));
      }
      extra[t.var] = [];
      target = { row, headers: headers[cell.principal] };
    } else {
      target = await victim(t, cell.principal);
    }
    expect(target).not.toBeNull(); // no row could be made to delete
    let req = api().delete(apiPath(itemOf(t, target.row)));
    if (target.headers !== undefined) {
      req = req.set(target.headers);
    }
    judge(failures, cell, (await req).status);
  }
  return failures;
}

// A table no one may create rows of starts empty here: the cells whose status comes
// before any row lookup (401, 403, 405) run against a key no row has; the rest wait for
// a row (backforge verify checks them on the seeded rows).
async function rowlessCells(t, operations) {
  const failures = [];
  const path = itemPath(t.collection, t.missing);
  const methods = { read: 'get', update: 'patch', delete: 'delete' };
  for (const operation of operations) {
    for (const cell of cellsOf(t.name, operation, ['anonymous'])) {
      if ([401, 403, 405].includes(cell.expected)) {
        const body = operation === 'update' ? resolve(t.update[cell.principal] ?? {}, {}) : undefined;
        const res = operation === 'list'
          ? await send(cell.principal, 'get', `${t.collection}?limit=1`)
          : await send(cell.principal, methods[operation], path, body);
        judge(failures, cell, res.status);
      }
    }
  }
  return failures;
}

function waiting(t, operations) {
  return CELLS.filter((c) => c.table === t.name && operations.includes(c.operation)
    && ![401, 403, 405].includes(c.expected));
}

describe('the authorisation matrix (40 cells)', () => {
  for (const t of TABLES.filter((table) => table.rowless)) {
    for (const c of waiting(t, ['list', 'read', 'update', 'delete'])) {
      test.todo(`${t.name}: ${c.principal} ${c.operation} -> ${c.expected} needs a row (no create route)`);
    }
  }
  for (const t of TABLES) {
    if (t.users) {
      test(`${t.name}: create`, async () => {
        const failures = [];
        for (const cell of cellsOf(t.name, 'create', ['anonymous'])) {
          const res = await send(cell.principal, 'post', t.collection, resolve(t.create[cell.principal], {}));
          judge(failures, cell, res.status);
        }
        expect(failures).toEqual([]);
      });
    } else {
      test(`${t.name}: create`, async () => {
        expect(await createCells(t)).toEqual([]);
      });
    }
    test(`${t.name}: list, read and update`, async () => {
      expect(await (t.rowless ? rowlessCells(t, ['list', 'read', 'update']) : rowCells(t))).toEqual([]);
    });
  }
  for (const t of [...TABLES].reverse()) {
    test(`${t.name}: delete`, async () => {
      expect(await (t.rowless ? rowlessCells(t, ['delete']) : deleteCells(t))).toEqual([]);
    });
  }
});
