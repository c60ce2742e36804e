'use strict';

const { NotFoundError } = require('../utils/errors');
const {
  findReviews,
  findReviewByKey,
  insertReview,
  updateReviewByKey,
  replaceReviewByKey,
  deleteReviewByKey,
} = require('../models/reviews');

// Business rules for reviews; handlers call these, never the model directly.
const MAX_LIMIT = 100;

function notFound() {
  return new NotFoundError('Review not found');
}

// One page (at most MAX_LIMIT rows) and the total count of matching reviews.
async function listReviews({ filters = {}, sort, order, limit = 20, offset = 0, cursor, count = true } = {}) {
  const pageLimit = Math.min(limit, MAX_LIMIT);
  const { rows, total, nextCursor } = await findReviews({ filters, sort, order, limit: pageLimit, offset, cursor, count });
  return { rows, total, limit: pageLimit, offset, nextCursor };
}

async function getReview(key) {
  const review = await findReviewByKey(key);
  if (review === null) {
    throw notFound();
  }
  return review;
}

async function createReview(data) {
  return insertReview(data);
}

async function updateReview(key, changes) {
  const review = await updateReviewByKey(key, changes);
  if (review === null) {
    throw notFound();
  }
  return review;
}

async function replaceReview(key, data) {
  const review = await replaceReviewByKey(key, data);
  if (review === null) {
    throw notFound();
  }
  return review;
}

async function deleteReview(key) {
  const deleted = await deleteReviewByKey(key);
  if (!deleted) {
    throw notFound();
  }
}

module.exports = {
  listReviews,
  getReview,
  createReview,
  updateReview,
  replaceReview,
  deleteReview,
};
