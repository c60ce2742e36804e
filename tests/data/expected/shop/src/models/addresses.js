'use strict';

const { query, findPage } = require('../db');
const { keyValues, buildInsert, buildUpdate } = require('../db/sql');

// Every identifier the "addresses" queries may use. Rows come back with API property names.
const TABLE = Object.freeze({
  name: '"addresses"',
  select: '"id" AS "id", "customer_id" AS "customer_id", "line1" AS "line1", "line2" AS "line2", "city" AS "city", "postal_code" AS "postal_code", "country" AS "country"',
  keyProps: ['id'],
  keyCondition: '"id" = $1',
  filterable: {
    id: '"id"',
    customer_id: '"customer_id"',
    line1: '"line1"',
    line2: '"line2"',
    city: '"city"',
    postal_code: '"postal_code"',
    country: '"country"',
  },
  writable: {
    customer_id: '"customer_id"',
    line1: '"line1"',
    line2: '"line2"',
    city: '"city"',
    postal_code: '"postal_code"',
    country: '"country"',
  },
  updatable: {
    customer_id: '"customer_id"',
    line1: '"line1"',
    line2: '"line2"',
    city: '"city"',
    postal_code: '"postal_code"',
    country: '"country"',
  },
  json: [],
  defaultOrder: ['"id"'],
  keyOrder: ['"id"'],
  updatedAt: null,
});

const SELECT_BY_KEY = 'SELECT "id" AS "id", "customer_id" AS "customer_id", "line1" AS "line1", "line2" AS "line2", "city" AS "city", "postal_code" AS "postal_code", "country" AS "country" FROM "addresses" WHERE "id" = $1';
const DELETE_BY_KEY = 'DELETE FROM "addresses" WHERE "id" = $1';

// Column and constraint names -> API properties, so a database error can name the field.
const FIELD_NAMES = Object.freeze({
  id: 'id',
  customer_id: 'customer_id',
  addresses_customer_id_fkey: 'customer_id',
  line1: 'line1',
  line2: 'line2',
  city: 'city',
  postal_code: 'postal_code',
  country: 'country',
});

// One page of addresses matching `filters` (property -> value), the total that
// match (null when `count` is false) and the cursor of the next page.
async function findAddresses(options) {
  return findPage(TABLE, options, FIELD_NAMES);
}

// The address with this key ({ id }), or null.
async function findAddressByKey(key) {
  const result = await query(SELECT_BY_KEY, keyValues(TABLE, key), FIELD_NAMES);
  return result.rows[0] ?? null;
}

async function insertAddress(data) {
  const statement = buildInsert(TABLE, data);
  const result = await query(statement.text, statement.values, FIELD_NAMES, statement.props);
  return result.rows[0];
}

// Sets the given properties; null when no row has this key.
async function updateAddressByKey(key, changes) {
  const statement = buildUpdate(TABLE, key, changes);
  const result = await query(statement.text, statement.values, FIELD_NAMES, statement.props);
  return result.rows[0] ?? null;
}

// Sets every updatable property: the ones not given go back to their default.
async function replaceAddressByKey(key, data) {
  const statement = buildUpdate(TABLE, key, data, { replace: true });
  const result = await query(statement.text, statement.values, FIELD_NAMES, statement.props);
  return result.rows[0] ?? null;
}

// True when a row was deleted.
async function deleteAddressByKey(key) {
  const result = await query(DELETE_BY_KEY, keyValues(TABLE, key), FIELD_NAMES);
  return result.rowCount > 0;
}

module.exports = {
  findAddresses,
  findAddressByKey,
  insertAddress,
  updateAddressByKey,
  replaceAddressByKey,
  deleteAddressByKey,
};
