'use strict';

const { NotFoundError } = require('../utils/errors');
const {
  findPostTags,
  findPostTagByKey,
  insertPostTag,
  updatePostTagByKey,
  replacePostTagByKey,
  deletePostTagByKey,
} = require('../models/post-tags');

// Business rules for post tags; handlers call these, never the model directly.
const MAX_LIMIT = 100;

function notFound() {
  return new NotFoundError('Post tag not found');
}

// One page (at most MAX_LIMIT rows) and the total count of matching post tags.
async function listPostTags({ filters = {}, sort, order, limit = 20, offset = 0, cursor, count = true } = {}) {
  const pageLimit = Math.min(limit, MAX_LIMIT);
  const { rows, total, nextCursor } = await findPostTags({ filters, sort, order, limit: pageLimit, offset, cursor, count });
  return { rows, total, limit: pageLimit, offset, nextCursor };
}

async function getPostTag(key) {
  const postTag = await findPostTagByKey(key);
  if (postTag === null) {
    throw notFound();
  }
  return postTag;
}

async function createPostTag(data) {
  return insertPostTag(data);
}

async function updatePostTag(key, changes) {
  const postTag = await updatePostTagByKey(key, changes);
  if (postTag === null) {
    throw notFound();
  }
  return postTag;
}

async function replacePostTag(key, data) {
  const postTag = await replacePostTagByKey(key, data);
  if (postTag === null) {
    throw notFound();
  }
  return postTag;
}

async function deletePostTag(key) {
  const deleted = await deletePostTagByKey(key);
  if (!deleted) {
    throw notFound();
  }
}

module.exports = {
  listPostTags,
  getPostTag,
  createPostTag,
  updatePostTag,
  replacePostTag,
  deletePostTag,
};
