'use strict';

const { query, findPage } = require('../db');
const { keyValues, buildInsert, buildUpdate } = require('../db/sql');

// Every identifier the "orders" queries may use. Rows come back with API property names.
const TABLE = Object.freeze({
  name: '"orders"',
  select: '"id" AS "id", "customer_id" AS "customer_id", "shipping_address_id" AS "shipping_address_id", "status" AS "status", "placed_at" AS "placed_at", "total" AS "total", "created_at" AS "created_at", "updated_at" AS "updated_at"',
  keyProps: ['id'],
  keyCondition: '"id" = $1',
  filterable: {
    id: '"id"',
    customer_id: '"customer_id"',
    shipping_address_id: '"shipping_address_id"',
    status: '"status"',
    placed_at: '"placed_at"',
    total: '"total"',
    created_at: '"created_at"',
    updated_at: '"updated_at"',
  },
  writable: {
    customer_id: '"customer_id"',
    shipping_address_id: '"shipping_address_id"',
    status: '"status"',
    placed_at: '"placed_at"',
    total: '"total"',
  },
  updatable: {
    customer_id: '"customer_id"',
    shipping_address_id: '"shipping_address_id"',
    status: '"status"',
    placed_at: '"placed_at"',
    total: '"total"',
  },
  json: [],
  defaultOrder: ['"created_at"', '"id"'],
  keyOrder: ['"id"'],
  updatedAt: '"updated_at"',
});

const SELECT_BY_KEY = 'SELECT "id" AS "id", "customer_id" AS "customer_id", "shipping_address_id" AS "shipping_address_id", "status" AS "status", "placed_at" AS "placed_at", "total" AS "total", "created_at" AS "created_at", "updated_at" AS "updated_at" FROM "orders" WHERE "id" = $1';
const DELETE_BY_KEY = 'DELETE FROM "orders" WHERE "id" = $1';

// Column and constraint names -> API properties, so a database error can name the field.
const FIELD_NAMES = Object.freeze({
  id: 'id',
  customer_id: 'customer_id',
  orders_customer_id_fkey: 'customer_id',
  shipping_address_id: 'shipping_address_id',
  orders_shipping_address_id_fkey: 'shipping_address_id',
  status: 'status',
  orders_status_check: 'status',
  placed_at: 'placed_at',
  total: 'total',
  orders_total_check: 'total',
  created_at: 'created_at',
  updated_at: 'updated_at',
});

// One page of orders matching `filters` (property -> value), the total that
// match (null when `count` is false) and the cursor of the next page.
async function findOrders(options) {
  return findPage(TABLE, options, FIELD_NAMES);
}

// The order with this key ({ id }), or null.
async function findOrderByKey(key) {
  const result = await query(SELECT_BY_KEY, keyValues(TABLE, key), FIELD_NAMES);
  return result.rows[0] ?? null;
}

async function insertOrder(data) {
  const statement = buildInsert(TABLE, data);
  const result = await query(statement.text, statement.values, FIELD_NAMES, statement.props);
  return result.rows[0];
}

// Sets the given properties; null when no row has this key.
async function updateOrderByKey(key, changes) {
  const statement = buildUpdate(TABLE, key, changes);
  const result = await query(statement.text, statement.values, FIELD_NAMES, statement.props);
  return result.rows[0] ?? null;
}

// Sets every updatable property: the ones not given go back to their default.
async function replaceOrderByKey(key, data) {
  const statement = buildUpdate(TABLE, key, data, { replace: true });
  const result = await query(statement.text, statement.values, FIELD_NAMES, statement.props);
  return result.rows[0] ?? null;
}

// True when a row was deleted.
async function deleteOrderByKey(key) {
  const result = await query(DELETE_BY_KEY, keyValues(TABLE, key), FIELD_NAMES);
  return result.rowCount > 0;
}

module.exports = {
  findOrders,
  findOrderByKey,
  insertOrder,
  updateOrderByKey,
  replaceOrderByKey,
  deleteOrderByKey,
};
