'use strict';

const { query, findPage } = require('../db');
const { keyValues, buildInsert, buildUpdate } = require('../db/sql');

// Every identifier the "tags" queries may use. Rows come back with API property names.
const TABLE = Object.freeze({
  name: '"tags"',
  select: '"id" AS "id", "label" AS "label"',
  keyProps: ['id'],
  keyCondition: '"id" = $1',
  filterable: { id: '"id"', label: '"label"' },
  writable: { label: '"label"' },
  updatable: { label: '"label"' },
  json: [],
  defaultOrder: ['"id"'],
  keyOrder: ['"id"'],
  updatedAt: null,
});

const SELECT_BY_KEY = 'SELECT "id" AS "id", "label" AS "label" FROM "tags" WHERE "id" = $1';
const DELETE_BY_KEY = 'DELETE FROM "tags" WHERE "id" = $1';

// The rows of one owner ($OWNER: the owner's key), from the access policy.
const OWNER_CONDITION = null;

// Column and constraint names -> API properties, so a database error can name the field.
const FIELD_NAMES = Object.freeze({ id: 'id', label: 'label', tags_label_key: 'label' });

// One page of tags matching `filters` (property -> value), the total that
// match (null when `count` is false) and the cursor of the next page.
// `owner`: only that account's rows (null: every row).
async function findTags({ owner = null, ...options }) {
  const scope = owner === null ? undefined : { condition: OWNER_CONDITION, value: owner };
  return findPage(TABLE, { ...options, scope }, FIELD_NAMES);
}

// The tag with this key ({ id }), or null; with an
// `owner`, null too when it is not that account's.
async function findTagByKey(key, owner = null) {
  const values = keyValues(TABLE, key);
  const text = owner === null ? SELECT_BY_KEY
    : SELECT_BY_KEY + ' AND ' + OWNER_CONDITION.replace('$OWNER', () => '$' + values.push(owner));
  const result = await query(text, values, FIELD_NAMES);
  return result.rows[0] ?? null;
}

async function insertTag(data) {
  const statement = buildInsert(TABLE, data);
  const result = await query(statement.text, statement.values, FIELD_NAMES, statement.props);
  return result.rows[0];
}

// Sets the given properties; null when no row has this key (with an `owner`: when it is
// no longer that account's; the check is part of the UPDATE, so it cannot race it).
async function updateTagByKey(key, changes, owner = null) {
  const scope = owner === null ? undefined : { condition: OWNER_CONDITION, value: owner };
  const statement = buildUpdate(TABLE, key, changes, { scope });
  const result = await query(statement.text, statement.values, FIELD_NAMES);
  return result.rows[0] ?? null;
}

// Sets every updatable property: the ones not given go back to their default.
async function replaceTagByKey(key, data, owner = null) {
  const scope = owner === null ? undefined : { condition: OWNER_CONDITION, value: owner };
  const statement = buildUpdate(TABLE, key, data, { replace: true, scope });
  const result = await query(statement.text, statement.values, FIELD_NAMES);
  return result.rows[0] ?? null;
}

// True when a row was deleted (with an `owner`: only while it is that account's, in the
// same DELETE).
async function deleteTagByKey(key, owner = null) {
  const values = keyValues(TABLE, key);
  const text = owner === null ? DELETE_BY_KEY
    : DELETE_BY_KEY + ' AND (' + OWNER_CONDITION.replace('$OWNER', () => '$' + values.push(owner)) + ')';
  const result = await query(text, values, FIELD_NAMES);
  return result.rowCount > 0;
}

module.exports = {
  findTags,
  findTagByKey,
  insertTag,
  updateTagByKey,
  replaceTagByKey,
  deleteTagByKey,
};
