'use strict';

const { NotFoundError, ForbiddenError } = require('../utils/errors');
const { ownerScope, checkWrite } = require('../policies/post-tags');
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

// One page (at most MAX_LIMIT rows) and the total count of matching post tags
// (only the caller's own when the policy limits it to them).
async function listPostTags({ filters = {}, sort, order, limit = 20, offset = 0, cursor, count = true } = {}, caller = undefined) {
  const pageLimit = Math.min(limit, MAX_LIMIT);
  const owner = ownerScope('list', caller);
  const { rows, total, nextCursor } = await findPostTags({ filters, sort, order, limit: pageLimit, offset, cursor, count, owner });
  return { rows, total, limit: pageLimit, offset, nextCursor };
}

// 404 for a row the caller may not read (its existence is not revealed).
async function getPostTag(key, caller = undefined) {
  const postTag = await findPostTagByKey(key, ownerScope('read', caller));
  if (postTag === null) {
    throw notFound();
  }
  return postTag;
}

// The row `operation` would change: 404 when the caller may not read it, 403 when it may
// read but not change it.
async function writable(operation, key, caller) {
  const readOwner = ownerScope('read', caller);
  const current = await findPostTagByKey(key, readOwner);
  if (current === null) {
    throw notFound();
  }
  const owner = ownerScope(operation, caller);
  if (owner !== null && (readOwner === null || String(readOwner) !== String(owner))
    && (await findPostTagByKey(key, owner)) === null) {
    throw new ForbiddenError('Only its owner may change this post tag');
  }
  return current;
}

async function createPostTag(data, caller = undefined) {
  await checkWrite(data, caller, undefined);
  return insertPostTag(data);
}

// The write repeats the owner check in its own statement: a row that changes hands
// between the check and the write is not written (404).
async function updatePostTag(key, changes, caller = undefined) {
  await checkWrite(changes, caller, await writable('update', key, caller));
  const postTag = await updatePostTagByKey(key, changes, ownerScope('update', caller));
  if (postTag === null) {
    throw notFound();
  }
  return postTag;
}

async function replacePostTag(key, data, caller = undefined) {
  await checkWrite(data, caller, await writable('update', key, caller));
  const postTag = await replacePostTagByKey(key, data, ownerScope('update', caller));
  if (postTag === null) {
    throw notFound();
  }
  return postTag;
}

async function deletePostTag(key, caller = undefined) {
  await writable('delete', key, caller);
  const deleted = await deletePostTagByKey(key, ownerScope('delete', caller));
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
