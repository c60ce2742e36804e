'use strict';

const { query, findPage } = require('../db');
const { keyValues, buildInsert } = require('../db/sql');

// Every identifier the "product_categories" queries may use. Rows come back with API property names.
const TABLE = Object.freeze({
  name: '"product_categories"',
  select: '"product_id" AS "product_id", "category_id" AS "category_id"',
  keyProps: ['product_id', 'category_id'],
  keyCondition: '"product_id" = $1 AND "category_id" = $2',
  filterable: { product_id: '"product_id"', category_id: '"category_id"' },
  writable: { product_id: '"product_id"', category_id: '"category_id"' },
  updatable: {},
  json: [],
  defaultOrder: ['"product_id"', '"category_id"'],
  keyOrder: ['"product_id"', '"category_id"'],
  updatedAt: null,
});

const SELECT_BY_KEY = 'SELECT "product_id" AS "product_id", "category_id" AS "category_id" FROM "product_categories" WHERE "product_id" = $1 AND "category_id" = $2';
const DELETE_BY_KEY = 'DELETE FROM "product_categories" WHERE "product_id" = $1 AND "category_id" = $2';

// Column and constraint names -> API properties, so a database error can name the field.
const FIELD_NAMES = Object.freeze({
  product_id: 'product_id',
  product_categories_product_id_fkey: 'product_id',
  category_id: 'category_id',
  product_categories_category_id_fkey: 'category_id',
});

// One page of product categories matching `filters` (property -> value), the total that
// match (null when `count` is false) and the cursor of the next page.
async function findProductCategories(options) {
  return findPage(TABLE, options, FIELD_NAMES);
}

// The product category with this key ({ product_id, category_id }), or null.
async function findProductCategoryByKey(key) {
  const result = await query(SELECT_BY_KEY, keyValues(TABLE, key), FIELD_NAMES);
  return result.rows[0] ?? null;
}

async function insertProductCategory(data) {
  const statement = buildInsert(TABLE, data);
  const result = await query(statement.text, statement.values, FIELD_NAMES, statement.props);
  return result.rows[0];
}

// True when a row was deleted.
async function deleteProductCategoryByKey(key) {
  const result = await query(DELETE_BY_KEY, keyValues(TABLE, key), FIELD_NAMES);
  return result.rowCount > 0;
}

module.exports = {
  findProductCategories,
  findProductCategoryByKey,
  insertProductCategory,
  deleteProductCategoryByKey,
};
