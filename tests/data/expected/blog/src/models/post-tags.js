'use strict';

const { query, findPage } = require('../db');
const { keyValues, buildInsert, buildUpdate } = require('../db/sql');

// Every identifier the "post_tags" queries may use. Rows come back with API property names.
const TABLE = Object.freeze({
  name: '"post_tags"',
  select: '"id" AS "id", "post_id" AS "postId", "tag_id" AS "tagId"',
  keyProps: ['id'],
  keyCondition: '"id" = $1',
  filterable: { id: '"id"', postId: '"post_id"', tagId: '"tag_id"' },
  writable: { postId: '"post_id"', tagId: '"tag_id"' },
  updatable: { postId: '"post_id"', tagId: '"tag_id"' },
  json: [],
  defaultOrder: ['"id"'],
  keyOrder: ['"id"'],
  updatedAt: null,
});

const SELECT_BY_KEY = 'SELECT "id" AS "id", "post_id" AS "postId", "tag_id" AS "tagId" FROM "post_tags" WHERE "id" = $1';
const DELETE_BY_KEY = 'DELETE FROM "post_tags" WHERE "id" = $1';

// The rows of one owner ($OWNER: the owner's key), from the access policy.
const OWNER_CONDITION = '"post_tags"."post_id" IN (SELECT "posts"."id" FROM "posts" WHERE "posts"."author_id" = $OWNER)';

// Column and constraint names -> API properties, so a database error can name the field.
const FIELD_NAMES = Object.freeze({
  id: 'id',
  post_id: 'postId',
  post_tags_post_id_fkey: 'postId',
  tag_id: 'tagId',
  post_tags_tag_id_fkey: 'tagId',
});

// One page of post tags matching `filters` (property -> value), the total that
// match (null when `count` is false) and the cursor of the next page.
// `owner`: only that account's rows (null: every row).
async function findPostTags({ owner = null, ...options }) {
  const scope = owner === null ? undefined : { condition: OWNER_CONDITION, value: owner };
  return findPage(TABLE, { ...options, scope }, FIELD_NAMES);
}

// The post tag with this key ({ id }), or null; with an
// `owner`, null too when it is not that account's.
async function findPostTagByKey(key, owner = null) {
  const values = keyValues(TABLE, key);
  const text = owner === null ? SELECT_BY_KEY
    : SELECT_BY_KEY + ' AND ' + OWNER_CONDITION.replace('$OWNER', () => '$' + values.push(owner));
  const result = await query(text, values, FIELD_NAMES);
  return result.rows[0] ?? null;
}

async function insertPostTag(data) {
  const statement = buildInsert(TABLE, data);
  const result = await query(statement.text, statement.values, FIELD_NAMES, statement.props);
  return result.rows[0];
}

// Sets the given properties; null when no row has this key (with an `owner`: when it is
// no longer that account's; the check is part of the UPDATE, so it cannot race it).
async function updatePostTagByKey(key, changes, owner = null) {
  const scope = owner === null ? undefined : { condition: OWNER_CONDITION, value: owner };
  const statement = buildUpdate(TABLE, key, changes, { scope });
  const result = await query(statement.text, statement.values, FIELD_NAMES);
  return result.rows[0] ?? null;
}

// Sets every updatable property: the ones not given go back to their default.
async function replacePostTagByKey(key, data, owner = null) {
  const scope = owner === null ? undefined : { condition: OWNER_CONDITION, value: owner };
  const statement = buildUpdate(TABLE, key, data, { replace: true, scope });
  const result = await query(statement.text, statement.values, FIELD_NAMES);
  return result.rows[0] ?? null;
}

// True when a row was deleted (with an `owner`: only while it is that account's, in the
// same DELETE).
async function deletePostTagByKey(key, owner = null) {
  const values = keyValues(TABLE, key);
  const text = owner === null ? DELETE_BY_KEY
    : DELETE_BY_KEY + ' AND (' + OWNER_CONDITION.replace('$OWNER', () => '$' + values.push(owner)) + ')';
  const result = await query(text, values, FIELD_NAMES);
  return result.rowCount > 0;
}

module.exports = {
  findPostTags,
  findPostTagByKey,
  insertPostTag,
  updatePostTagByKey,
  replacePostTagByKey,
  deletePostTagByKey,
};
