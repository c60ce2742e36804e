'use strict';

const { NotFoundError, NotImplementedError } = require('../utils/errors');
const {
  findPosts,
  findPostByKey,
  insertPost,
  updatePostByKey,
  replacePostByKey,
  deletePostByKey,
} = require('../models/posts');

// Business rules for posts; handlers call these, never the model directly.
const MAX_LIMIT = 100;

function notFound() {
  return new NotFoundError('Post not found');
}

// One page (at most MAX_LIMIT rows) and the total count of matching posts.
async function listPosts({ filters = {}, sort, order, limit = 20, offset = 0, cursor, count = true } = {}) {
  const pageLimit = Math.min(limit, MAX_LIMIT);
  const { rows, total, nextCursor } = await findPosts({ filters, sort, order, limit: pageLimit, offset, cursor, count });
  return { rows, total, limit: pageLimit, offset, nextCursor };
}

async function getPost(key) {
  const post = await findPostByKey(key);
  if (post === null) {
    throw notFound();
  }
  return post;
}

async function createPost(data) {
  return insertPost(data);
}

async function updatePost(key, changes) {
  const post = await updatePostByKey(key, changes);
  if (post === null) {
    throw notFound();
  }
  return post;
}

async function replacePost(key, data) {
  const post = await replacePostByKey(key, data);
  if (post === null) {
    throw notFound();
  }
  return post;
}

async function deletePost(key) {
  const deleted = await deletePostByKey(key);
  if (!deleted) {
    throw notFound();
  }
}

/**
 * POST /posts/{id}/publish: Publish a draft post now
 * Declared in the spec without logic: write it here. `request` holds the
 * validated { params, query, body } and `user` (the signed-in account, if any).
 */
async function publishPost(_request) {
  throw new NotImplementedError('POST /posts/{id}/publish');
}

module.exports = {
  listPosts,
  getPost,
  createPost,
  updatePost,
  replacePost,
  deletePost,
  publishPost,
};
