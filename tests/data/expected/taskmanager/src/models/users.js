'use strict';

const { query, findPage } = require('../db');
const { keyValues, buildInsert, buildUpdate } = require('../db/sql');

// Every identifier the "users" queries may use. Rows come back with API property names.
const TABLE = Object.freeze({
  name: '"users"',
  select: '"id" AS "id", "email" AS "email", "display_name" AS "display_name", "role" AS "role", "created_at" AS "created_at", "updated_at" AS "updated_at"',
  keyProps: ['id'],
  keyCondition: '"id" = $1',
  filterable: {
    id: '"id"',
    email: '"email"',
    display_name: '"display_name"',
    role: '"role"',
    created_at: '"created_at"',
    updated_at: '"updated_at"',
  },
  writable: { email: '"email"', display_name: '"display_name"', role: '"role"' },
  updatable: { email: '"email"', display_name: '"display_name"', role: '"role"' },
  json: [],
  defaultOrder: ['"created_at"', '"id"'],
  keyOrder: ['"id"'],
  updatedAt: '"updated_at"',
});

const SELECT_BY_KEY = 'SELECT "id" AS "id", "email" AS "email", "display_name" AS "display_name", "role" AS "role", "created_at" AS "created_at", "updated_at" AS "updated_at" FROM "users" WHERE "id" = $1';
const DELETE_BY_KEY = 'DELETE FROM "users" WHERE "id" = $1';

// The rows of one owner ($OWNER: the owner's key), from the access policy.
const OWNER_CONDITION = '"users"."id" = $OWNER';

// Column and constraint names -> API properties, so a database error can name the field.
const FIELD_NAMES = Object.freeze({
  id: 'id',
  email: 'email',
  users_email_key: 'email',
  display_name: 'display_name',
  role: 'role',
  users_role_check: 'role',
  created_at: 'created_at',
  updated_at: 'updated_at',
});

// One page of users matching `filters` (property -> value), the total that
// match (null when `count` is false) and the cursor of the next page.
// `owner`: only that account's rows (null: every row).
async function findUsers({ owner = null, ...options }) {
  const scope = owner === null ? undefined : { condition: OWNER_CONDITION, value: owner };
  return findPage(TABLE, { ...options, scope }, FIELD_NAMES);
}

// The user with this key ({ id }), or null; with an
// `owner`, null too when it is not that account's.
async function findUserByKey(key, owner = null) {
  const values = keyValues(TABLE, key);
  const text = owner === null ? SELECT_BY_KEY
    : SELECT_BY_KEY + ' AND ' + OWNER_CONDITION.replace('$OWNER', () => '$' + values.push(owner));
  const result = await query(text, values, FIELD_NAMES);
  return result.rows[0] ?? null;
}

async function insertUser(data) {
  const statement = buildInsert(TABLE, data);
  const result = await query(statement.text, statement.values, FIELD_NAMES, statement.props);
  return result.rows[0];
}

// Sets the given properties; null when no row has this key (with an `owner`: when it is
// no longer that account's; the check is part of the UPDATE, so it cannot race it).
async function updateUserByKey(key, changes, owner = null) {
  const scope = owner === null ? undefined : { condition: OWNER_CONDITION, value: owner };
  const statement = buildUpdate(TABLE, key, changes, { scope });
  const result = await query(statement.text, statement.values, FIELD_NAMES);
  return result.rows[0] ?? null;
}

// Sets every updatable property: the ones not given go back to their default.
async function replaceUserByKey(key, data, owner = null) {
  const scope = owner === null ? undefined : { condition: OWNER_CONDITION, value: owner };
  const statement = buildUpdate(TABLE, key, data, { replace: true, scope });
  const result = await query(statement.text, statement.values, FIELD_NAMES);
  return result.rows[0] ?? null;
}

// True when a row was deleted (with an `owner`: only while it is that account's, in the
// same DELETE).
async function deleteUserByKey(key, owner = null) {
  const values = keyValues(TABLE, key);
  const text = owner === null ? DELETE_BY_KEY
    : DELETE_BY_KEY + ' AND (' + OWNER_CONDITION.replace('$OWNER', () => '$' + values.push(owner)) + ')';
  const result = await query(text, values, FIELD_NAMES);
  return result.rowCount > 0;
}

module.exports = {
  findUsers,
  findUserByKey,
  insertUser,
  updateUserByKey,
  replaceUserByKey,
  deleteUserByKey,
};
