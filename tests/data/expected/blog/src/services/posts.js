'use strict';

const { NotFoundError, ForbiddenError, NotImplementedError } = require('../utils/errors');
const { ownerScope, checkWrite } = require('../policies/posts');
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

// One page (at most MAX_LIMIT rows) and the total count of matching posts
// (only the caller's own when the policy limits it to them).
async function listPosts({ filters = {}, sort, order, limit = 20, offset = 0, cursor, count = true } = {}, caller = undefined) {
  const pageLimit = Math.min(limit, MAX_LIMIT);
  const owner = ownerScope('list', caller);
  const { rows, total, nextCursor } = await findPosts({ filters, sort, order, limit: pageLimit, offset, cursor, count, owner });
  return { rows, total, limit: pageLimit, offset, nextCursor };
}

// 404 for a row the caller may not read (its existence is not revealed).
async function getPost(key, caller = undefined) {
  const post = await findPostByKey(key, ownerScope('read', caller));
  if (post === null) {
    throw notFound();
  }
  return post;
}

// The row `operation` would change: 404 when the caller may not read it, 403 when it may
// read but not change it.
async function writable(operation, key, caller) {
  const readOwner = ownerScope('read', caller);
  const current = await findPostByKey(key, readOwner);
  if (current === null) {
    throw notFound();
  }
  const owner = ownerScope(operation, caller);
  if (owner !== null && (readOwner === null || String(readOwner) !== String(owner))
    && (await findPostByKey(key, owner)) === null) {
    throw new ForbiddenError('Only its owner may change this post');
  }
  return current;
}

async function createPost(data, caller = undefined) {
  await checkWrite(data, caller, undefined);
  return insertPost(data);
}

// The write repeats the owner check in its own statement: a row that changes hands
// between the check and the write is not written (404).
async function updatePost(key, changes, caller = undefined) {
  await checkWrite(changes, caller, await writable('update', key, caller));
  const post = await updatePostByKey(key, changes, ownerScope('update', caller));
  if (post === null) {
    throw notFound();
  }
  return post;
}

async function replacePost(key, data, caller = undefined) {
  await checkWrite(data, caller, await writable('update', key, caller));
  const post = await replacePostByKey(key, data, ownerScope('update', caller));
  if (post === null) {
    throw notFound();
  }
  return post;
}

async function deletePost(key, caller = undefined) {
  await writable('delete', key, caller);
  const deleted = await deletePostByKey(key, ownerScope('delete', caller));
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
