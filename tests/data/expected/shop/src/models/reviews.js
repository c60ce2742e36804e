'use strict';

const { query, findPage } = require('../db');
const { keyValues, buildInsert, buildUpdate } = require('../db/sql');

// Every identifier the "reviews" queries may use. Rows come back with API property names.
const TABLE = Object.freeze({
  name: '"reviews"',
  select: '"id" AS "id", "product_id" AS "product_id", "customer_id" AS "customer_id", "rating" AS "rating", "title" AS "title", "body" AS "body", "created_at" AS "created_at", "updated_at" AS "updated_at"',
  keyProps: ['id'],
  keyCondition: '"id" = $1',
  filterable: {
    id: '"id"',
    product_id: '"product_id"',
    customer_id: '"customer_id"',
    rating: '"rating"',
    title: '"title"',
    body: '"body"',
    created_at: '"created_at"',
    updated_at: '"updated_at"',
  },
  writable: {
    product_id: '"product_id"',
    customer_id: '"customer_id"',
    rating: '"rating"',
    title: '"title"',
    body: '"body"',
  },
  updatable: {
    product_id: '"product_id"',
    customer_id: '"customer_id"',
    rating: '"rating"',
    title: '"title"',
    body: '"body"',
  },
  json: [],
  defaultOrder: ['"created_at"', '"id"'],
  keyOrder: ['"id"'],
  updatedAt: '"updated_at"',
});

const SELECT_BY_KEY = 'SELECT "id" AS "id", "product_id" AS "product_id", "customer_id" AS "customer_id", "rating" AS "rating", "title" AS "title", "body" AS "body", "created_at" AS "created_at", "updated_at" AS "updated_at" FROM "reviews" WHERE "id" = $1';
const DELETE_BY_KEY = 'DELETE FROM "reviews" WHERE "id" = $1';

// Column and constraint names -> API properties, so a database error can name the field.
const FIELD_NAMES = Object.freeze({
  id: 'id',
  product_id: 'product_id',
  reviews_product_id_fkey: 'product_id',
  customer_id: 'customer_id',
  reviews_customer_id_fkey: 'customer_id',
  rating: 'rating',
  reviews_rating_check: 'rating',
  title: 'title',
  body: 'body',
  created_at: 'created_at',
  updated_at: 'updated_at',
});

// One page of reviews matching `filters` (property -> value), the total that
// match (null when `count` is false) and the cursor of the next page.
async function findReviews(options) {
  return findPage(TABLE, options, FIELD_NAMES);
}

// The review with this key ({ id }), or null.
async function findReviewByKey(key) {
  const result = await query(SELECT_BY_KEY, keyValues(TABLE, key), FIELD_NAMES);
  return result.rows[0] ?? null;
}

async function insertReview(data) {
  const statement = buildInsert(TABLE, data);
  const result = await query(statement.text, statement.values, FIELD_NAMES, statement.props);
  return result.rows[0];
}

// Sets the given properties; null when no row has this key.
async function updateReviewByKey(key, changes) {
  const statement = buildUpdate(TABLE, key, changes);
  const result = await query(statement.text, statement.values, FIELD_NAMES, statement.props);
  return result.rows[0] ?? null;
}

// Sets every updatable property: the ones not given go back to their default.
async function replaceReviewByKey(key, data) {
  const statement = buildUpdate(TABLE, key, data, { replace: true });
  const result = await query(statement.text, statement.values, FIELD_NAMES, statement.props);
  return result.rows[0] ?? null;
}

// True when a row was deleted.
async function deleteReviewByKey(key) {
  const result = await query(DELETE_BY_KEY, keyValues(TABLE, key), FIELD_NAMES);
  return result.rowCount > 0;
}

module.exports = {
  findReviews,
  findReviewByKey,
  insertReview,
  updateReviewByKey,
  replaceReviewByKey,
  deleteReviewByKey,
};
