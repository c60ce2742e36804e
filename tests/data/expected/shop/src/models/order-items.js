'use strict';

const { query, findPage } = require('../db');
const { keyValues, buildInsert, buildUpdate } = require('../db/sql');

// Every identifier the "order_items" queries may use. Rows come back with API property names.
const TABLE = Object.freeze({
  name: '"order_items"',
  select: '"id" AS "id", "order_id" AS "order_id", "product_id" AS "product_id", "quantity" AS "quantity", "unit_price" AS "unit_price"',
  keyProps: ['id'],
  keyCondition: '"id" = $1',
  filterable: {
    id: '"id"',
    order_id: '"order_id"',
    product_id: '"product_id"',
    quantity: '"quantity"',
    unit_price: '"unit_price"',
  },
  writable: {
    order_id: '"order_id"',
    product_id: '"product_id"',
    quantity: '"quantity"',
    unit_price: '"unit_price"',
  },
  updatable: {
    order_id: '"order_id"',
    product_id: '"product_id"',
    quantity: '"quantity"',
    unit_price: '"unit_price"',
  },
  json: [],
  defaultOrder: ['"id"'],
  keyOrder: ['"id"'],
  updatedAt: null,
});

const SELECT_BY_KEY = 'SELECT "id" AS "id", "order_id" AS "order_id", "product_id" AS "product_id", "quantity" AS "quantity", "unit_price" AS "unit_price" FROM "order_items" WHERE "id" = $1';
const DELETE_BY_KEY = 'DELETE FROM "order_items" WHERE "id" = $1';

// Column and constraint names -> API properties, so a database error can name the field.
const FIELD_NAMES = Object.freeze({
  id: 'id',
  order_id: 'order_id',
  order_items_order_id_fkey: 'order_id',
  product_id: 'product_id',
  order_items_product_id_fkey: 'product_id',
  quantity: 'quantity',
  order_items_quantity_check: 'quantity',
  unit_price: 'unit_price',
  order_items_unit_price_check: 'unit_price',
});

// One page of order items matching `filters` (property -> value), the total that
// match (null when `count` is false) and the cursor of the next page.
async function findOrderItems(options) {
  return findPage(TABLE, options, FIELD_NAMES);
}

// The order item with this key ({ id }), or null.
async function findOrderItemByKey(key) {
  const result = await query(SELECT_BY_KEY, keyValues(TABLE, key), FIELD_NAMES);
  return result.rows[0] ?? null;
}

async function insertOrderItem(data) {
  const statement = buildInsert(TABLE, data);
  const result = await query(statement.text, statement.values, FIELD_NAMES, statement.props);
  return result.rows[0];
}

// Sets the given properties; null when no row has this key.
async function updateOrderItemByKey(key, changes) {
  const statement = buildUpdate(TABLE, key, changes);
  const result = await query(statement.text, statement.values, FIELD_NAMES, statement.props);
  return result.rows[0] ?? null;
}

// Sets every updatable property: the ones not given go back to their default.
async function replaceOrderItemByKey(key, data) {
  const statement = buildUpdate(TABLE, key, data, { replace: true });
  const result = await query(statement.text, statement.values, FIELD_NAMES, statement.props);
  return result.rows[0] ?? null;
}

// True when a row was deleted.
async function deleteOrderItemByKey(key) {
  const result = await query(DELETE_BY_KEY, keyValues(TABLE, key), FIELD_NAMES);
  return result.rowCount > 0;
}

module.exports = {
  findOrderItems,
  findOrderItemByKey,
  insertOrderItem,
  updateOrderItemByKey,
  replaceOrderItemByKey,
  deleteOrderItemByKey,
};
