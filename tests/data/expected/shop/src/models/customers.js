'use strict';

const { query, findPage } = require('../db');
const { keyValues, buildInsert, buildUpdate } = require('../db/sql');

// Every identifier the "customers" queries may use. Rows come back with API property names.
const TABLE = Object.freeze({
  name: '"customers"',
  select: '"id" AS "id", "email" AS "email", "full_name" AS "full_name", "phone" AS "phone", "marketing_opt_in" AS "marketing_opt_in", "created_at" AS "created_at", "updated_at" AS "updated_at"',
  keyProps: ['id'],
  keyCondition: '"id" = $1',
  filterable: {
    id: '"id"',
    email: '"email"',
    full_name: '"full_name"',
    phone: '"phone"',
    marketing_opt_in: '"marketing_opt_in"',
    created_at: '"created_at"',
    updated_at: '"updated_at"',
  },
  writable: {
    email: '"email"',
    full_name: '"full_name"',
    phone: '"phone"',
    marketing_opt_in: '"marketing_opt_in"',
  },
  updatable: {
    email: '"email"',
    full_name: '"full_name"',
    phone: '"phone"',
    marketing_opt_in: '"marketing_opt_in"',
  },
  json: [],
  defaultOrder: ['"created_at"', '"id"'],
  keyOrder: ['"id"'],
  updatedAt: '"updated_at"',
});

const SELECT_BY_KEY = 'SELECT "id" AS "id", "email" AS "email", "full_name" AS "full_name", "phone" AS "phone", "marketing_opt_in" AS "marketing_opt_in", "created_at" AS "created_at", "updated_at" AS "updated_at" FROM "customers" WHERE "id" = $1';
const DELETE_BY_KEY = 'DELETE FROM "customers" WHERE "id" = $1';

// Column and constraint names -> API properties, so a database error can name the field.
const FIELD_NAMES = Object.freeze({
  id: 'id',
  email: 'email',
  customers_email_key: 'email',
  full_name: 'full_name',
  phone: 'phone',
  marketing_opt_in: 'marketing_opt_in',
  created_at: 'created_at',
  updated_at: 'updated_at',
});

// One page of customers matching `filters` (property -> value), the total that
// match (null when `count` is false) and the cursor of the next page.
async function findCustomers(options) {
  return findPage(TABLE, options, FIELD_NAMES);
}

// The customer with this key ({ id }), or null.
async function findCustomerByKey(key) {
  const result = await query(SELECT_BY_KEY, keyValues(TABLE, key), FIELD_NAMES);
  return result.rows[0] ?? null;
}

async function insertCustomer(data) {
  const statement = buildInsert(TABLE, data);
  const result = await query(statement.text, statement.values, FIELD_NAMES, statement.props);
  return result.rows[0];
}

// Sets the given properties; null when no row has this key.
async function updateCustomerByKey(key, changes) {
  const statement = buildUpdate(TABLE, key, changes);
  const result = await query(statement.text, statement.values, FIELD_NAMES, statement.props);
  return result.rows[0] ?? null;
}

// Sets every updatable property: the ones not given go back to their default.
async function replaceCustomerByKey(key, data) {
  const statement = buildUpdate(TABLE, key, data, { replace: true });
  const result = await query(statement.text, statement.values, FIELD_NAMES, statement.props);
  return result.rows[0] ?? null;
}

// True when a row was deleted.
async function deleteCustomerByKey(key) {
  const result = await query(DELETE_BY_KEY, keyValues(TABLE, key), FIELD_NAMES);
  return result.rowCount > 0;
}

module.exports = {
  findCustomers,
  findCustomerByKey,
  insertCustomer,
  updateCustomerByKey,
  replaceCustomerByKey,
  deleteCustomerByKey,
};
