'use strict';

const { query, findPage } = require('../db');
const { keyValues, buildInsert, buildUpdate } = require('../db/sql');

// Every identifier the "posts" queries may use. Rows come back with API property names.
const TABLE = Object.freeze({
  name: '"posts"',
  select: '"id" AS "id", "author_id" AS "authorId", "title" AS "title", "slug" AS "slug", "body" AS "body", "published" AS "published", "published_at" AS "publishedAt", "view_count" AS "viewCount"',
  keyProps: ['id'],
  keyCondition: '"id" = $1',
  filterable: {
    id: '"id"',
    authorId: '"author_id"',
    title: '"title"',
    slug: '"slug"',
    body: '"body"',
    published: '"published"',
    publishedAt: '"published_at"',
    viewCount: '"view_count"',
  },
  writable: {
    authorId: '"author_id"',
    title: '"title"',
    slug: '"slug"',
    body: '"body"',
    published: '"published"',
    publishedAt: '"published_at"',
    viewCount: '"view_count"',
  },
  updatable: {
    authorId: '"author_id"',
    title: '"title"',
    slug: '"slug"',
    body: '"body"',
    published: '"published"',
    publishedAt: '"published_at"',
    viewCount: '"view_count"',
  },
  json: [],
  defaultOrder: ['"id"'],
  keyOrder: ['"id"'],
  updatedAt: null,
});

const SELECT_BY_KEY = 'SELECT "id" AS "id", "author_id" AS "authorId", "title" AS "title", "slug" AS "slug", "body" AS "body", "published" AS "published", "published_at" AS "publishedAt", "view_count" AS "viewCount" FROM "posts" WHERE "id" = $1';
const DELETE_BY_KEY = 'DELETE FROM "posts" WHERE "id" = $1';

// The rows of one owner ($OWNER: the owner's key), from the access policy.
const OWNER_CONDITION = '"posts"."author_id" = $OWNER';

// Column and constraint names -> API properties, so a database error can name the field.
const FIELD_NAMES = Object.freeze({
  id: 'id',
  author_id: 'authorId',
  posts_author_id_fkey: 'authorId',
  title: 'title',
  slug: 'slug',
  posts_slug_key: 'slug',
  body: 'body',
  published: 'published',
  published_at: 'publishedAt',
  view_count: 'viewCount',
});

// One page of posts matching `filters` (property -> value), the total that
// match (null when `count` is false) and the cursor of the next page.
// `owner`: only that account's rows (null: every row).
async function findPosts({ owner = null, ...options }) {
  const scope = owner === null ? undefined : { condition: OWNER_CONDITION, value: owner };
  return findPage(TABLE, { ...options, scope }, FIELD_NAMES);
}

// The post with this key ({ id }), or null; with an
// `owner`, null too when it is not that account's.
async function findPostByKey(key, owner = null) {
  const values = keyValues(TABLE, key);
  const text = owner === null ? SELECT_BY_KEY
    : SELECT_BY_KEY + ' AND ' + OWNER_CONDITION.replace('$OWNER', () => '$' + values.push(owner));
  const result = await query(text, values, FIELD_NAMES);
  return result.rows[0] ?? null;
}

async function insertPost(data) {
  const statement = buildInsert(TABLE, data);
  const result = await query(statement.text, statement.values, FIELD_NAMES, statement.props);
  return result.rows[0];
}

// Sets the given properties; null when no row has this key (with an `owner`: when it is
// no longer that account's; the check is part of the UPDATE, so it cannot race it).
async function updatePostByKey(key, changes, owner = null) {
  const scope = owner === null ? undefined : { condition: OWNER_CONDITION, value: owner };
  const statement = buildUpdate(TABLE, key, changes, { scope });
  const result = await query(statement.text, statement.values, FIELD_NAMES);
  return result.rows[0] ?? null;
}

// Sets every updatable property: the ones not given go back to their default.
async function replacePostByKey(key, data, owner = null) {
  const scope = owner === null ? undefined : { condition: OWNER_CONDITION, value: owner };
  const statement = buildUpdate(TABLE, key, data, { replace: true, scope });
  const result = await query(statement.text, statement.values, FIELD_NAMES);
  return result.rows[0] ?? null;
}

// True when a row was deleted (with an `owner`: only while it is that account's, in the
// same DELETE).
async function deletePostByKey(key, owner = null) {
  const values = keyValues(TABLE, key);
  const text = owner === null ? DELETE_BY_KEY
    : DELETE_BY_KEY + ' AND (' + OWNER_CONDITION.replace('$OWNER', () => '$' + values.push(owner)) + ')';
  const result = await query(text, values, FIELD_NAMES);
  return result.rowCount > 0;
}

module.exports = {
  findPosts,
  findPostByKey,
  insertPost,
  updatePostByKey,
  replacePostByKey,
  deletePostByKey,
};
