'use strict';

const { query, findPage } = require('../db');
const { keyValues, buildInsert, buildUpdate } = require('../db/sql');

// Every identifier the "categories" queries may use. Rows come back with API property names.
const TABLE = Object.freeze({
  name: '"categories"',
  select: '"id" AS "id", "name" AS "name", "parent_id" AS "parent_id"',
  keyProps: ['id'],
  keyCondition: '"id" = $1',
  filterable: { id: '"id"', name: '"name"', parent_id: '"parent_id"' },
  writable: { name: '"name"', parent_id: '"parent_id"' },
  updatable: { name: '"name"', parent_id: '"parent_id"' },
  json: [],
  defaultOrder: ['"id"'],
  keyOrder: ['"id"'],
  updatedAt: null,
});

const SELECT_BY_KEY = 'SELECT "id" AS "id", "name" AS "name", "parent_id" AS "parent_id" FROM "categories" WHERE "id" = $1';
const DELETE_BY_KEY = 'DELETE FROM "categories" WHERE "id" = $1';

// Column and constraint names -> API properties, so a database error can name the field.
const FIELD_NAMES = Object.freeze({
  id: 'id',
  name: 'name',
  categories_name_key: 'name',
  parent_id: 'parent_id',
  categories_parent_id_fkey: 'parent_id',
});

// One page of categories matching `filters` (property -> value), the total that
// match (null when `count` is false) and the cursor of the next page.
async function findCategories(options) {
  return findPage(TABLE, options, FIELD_NAMES);
}

// The category with this key ({ id }), or null.
async function findCategoryByKey(key) {
  const result = await query(SELECT_BY_KEY, keyValues(TABLE, key), FIELD_NAMES);
  return result.rows[0] ?? null;
}

async function insertCategory(data) {
  const statement = buildInsert(TABLE, data);
  const result = await query(statement.text, statement.values, FIELD_NAMES, statement.props);
  return result.rows[0];
}

// Sets the given properties; null when no row has this key.
async function updateCategoryByKey(key, changes) {
  const statement = buildUpdate(TABLE, key, changes);
  const result = await query(statement.text, statement.values, FIELD_NAMES, statement.props);
  return result.rows[0] ?? null;
}

// Sets every updatable property: the ones not given go back to their default.
async function replaceCategoryByKey(key, data) {
  const statement = buildUpdate(TABLE, key, data, { replace: true });
  const result = await query(statement.text, statement.values, FIELD_NAMES, statement.props);
  return result.rows[0] ?? null;
}

// True when a row was deleted.
async function deleteCategoryByKey(key) {
  const result = await query(DELETE_BY_KEY, keyValues(TABLE, key), FIELD_NAMES);
  return result.rowCount > 0;
}

module.exports = {
  findCategories,
  findCategoryByKey,
  insertCategory,
  updateCategoryByKey,
  replaceCategoryByKey,
  deleteCategoryByKey,
};
