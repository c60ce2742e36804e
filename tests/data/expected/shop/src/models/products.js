'use strict';

const { query, findPage } = require('../db');
const { keyValues, buildInsert, buildUpdate } = require('../db/sql');

// Every identifier the "products" queries may use. Rows come back with API property names.
const TABLE = Object.freeze({
  name: '"products"',
  select: '"id" AS "id", "sku" AS "sku", "name" AS "name", "description" AS "description", "price" AS "price", "stock" AS "stock", "attributes" AS "attributes", "active" AS "active", "created_at" AS "created_at", "updated_at" AS "updated_at"',
  keyProps: ['id'],
  keyCondition: '"id" = $1',
  filterable: {
    id: '"id"',
    sku: '"sku"',
    name: '"name"',
    description: '"description"',
    price: '"price"',
    stock: '"stock"',
    active: '"active"',
    created_at: '"created_at"',
    updated_at: '"updated_at"',
  },
  writable: {
    sku: '"sku"',
    name: '"name"',
    description: '"description"',
    price: '"price"',
    stock: '"stock"',
    attributes: '"attributes"',
    active: '"active"',
  },
  updatable: {
    sku: '"sku"',
    name: '"name"',
    description: '"description"',
    price: '"price"',
    stock: '"stock"',
    attributes: '"attributes"',
    active: '"active"',
  },
  json: ['attributes'],
  defaultOrder: ['"created_at"', '"id"'],
  keyOrder: ['"id"'],
  updatedAt: '"updated_at"',
});

const SELECT_BY_KEY = 'SELECT "id" AS "id", "sku" AS "sku", "name" AS "name", "description" AS "description", "price" AS "price", "stock" AS "stock", "attributes" AS "attributes", "active" AS "active", "created_at" AS "created_at", "updated_at" AS "updated_at" FROM "products" WHERE "id" = $1';
const DELETE_BY_KEY = 'DELETE FROM "products" WHERE "id" = $1';

// Column and constraint names -> API properties, so a database error can name the field.
const FIELD_NAMES = Object.freeze({
  id: 'id',
  sku: 'sku',
  products_sku_key: 'sku',
  name: 'name',
  description: 'description',
  price: 'price',
  products_price_check: 'price',
  stock: 'stock',
  products_stock_check: 'stock',
  attributes: 'attributes',
  active: 'active',
  created_at: 'created_at',
  updated_at: 'updated_at',
});

// One page of products matching `filters` (property -> value), the total that
// match (null when `count` is false) and the cursor of the next page.
async function findProducts(options) {
  return findPage(TABLE, options, FIELD_NAMES);
}

// The product with this key ({ id }), or null.
async function findProductByKey(key) {
  const result = await query(SELECT_BY_KEY, keyValues(TABLE, key), FIELD_NAMES);
  return result.rows[0] ?? null;
}

async function insertProduct(data) {
  const statement = buildInsert(TABLE, data);
  const result = await query(statement.text, statement.values, FIELD_NAMES, statement.props);
  return result.rows[0];
}

// Sets the given properties; null when no row has this key.
async function updateProductByKey(key, changes) {
  const statement = buildUpdate(TABLE, key, changes);
  const result = await query(statement.text, statement.values, FIELD_NAMES, statement.props);
  return result.rows[0] ?? null;
}

// Sets every updatable property: the ones not given go back to their default.
async function replaceProductByKey(key, data) {
  const statement = buildUpdate(TABLE, key, data, { replace: true });
  const result = await query(statement.text, statement.values, FIELD_NAMES, statement.props);
  return result.rows[0] ?? null;
}

// True when a row was deleted.
async function deleteProductByKey(key) {
  const result = await query(DELETE_BY_KEY, keyValues(TABLE, key), FIELD_NAMES);
  return result.rowCount > 0;
}

module.exports = {
  findProducts,
  findProductByKey,
  insertProduct,
  updateProductByKey,
  replaceProductByKey,
  deleteProductByKey,
};
