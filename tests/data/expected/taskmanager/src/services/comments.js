'use strict';

const { NotFoundError, ForbiddenError } = require('../utils/errors');
const { ownerScope, checkWrite } = require('../policies/comments');
const {
  findComments,
  findCommentByKey,
  insertComment,
  updateCommentByKey,
  replaceCommentByKey,
  deleteCommentByKey,
} = require('../models/comments');

// Business rules for comments; handlers call these, never the model directly.
const MAX_LIMIT = 100;

function notFound() {
  return new NotFoundError('Comment not found');
}

// One page (at most MAX_LIMIT rows) and the total count of matching comments
// (only the caller's own when the policy limits it to them).
async function listComments({ filters = {}, sort, order, limit = 20, offset = 0, cursor, count = true } = {}, caller = undefined) {
  const pageLimit = Math.min(limit, MAX_LIMIT);
  const owner = ownerScope('list', caller);
  const { rows, total, nextCursor } = await findComments({ filters, sort, order, limit: pageLimit, offset, cursor, count, owner });
  return { rows, total, limit: pageLimit, offset, nextCursor };
}

// 404 for a row the caller may not read (its existence is not revealed).
async function getComment(key, caller = undefined) {
  const comment = await findCommentByKey(key, ownerScope('read', caller));
  if (comment === null) {
    throw notFound();
  }
  return comment;
}

// The row `operation` would change: 404 when the caller may not read it, 403 when it may
// read but not change it.
async function writable(operation, key, caller) {
  const readOwner = ownerScope('read', caller);
  const current = await findCommentByKey(key, readOwner);
  if (current === null) {
    throw notFound();
  }
  const owner = ownerScope(operation, caller);
  if (owner !== null && (readOwner === null || String(readOwner) !== String(owner))
    && (await findCommentByKey(key, owner)) === null) {
    throw new ForbiddenError('Only its owner may change this comment');
  }
  return current;
}

async function createComment(data, caller = undefined) {
  await checkWrite(data, caller, undefined);
  return insertComment(data);
}

// The write repeats the owner check in its own statement: a row that changes hands
// between the check and the write is not written (404).
async function updateComment(key, changes, caller = undefined) {
  await checkWrite(changes, caller, await writable('update', key, caller));
  const comment = await updateCommentByKey(key, changes, ownerScope('update', caller));
  if (comment === null) {
    throw notFound();
  }
  return comment;
}

async function replaceComment(key, data, caller = undefined) {
  await checkWrite(data, caller, await writable('update', key, caller));
  const comment = await replaceCommentByKey(key, data, ownerScope('update', caller));
  if (comment === null) {
    throw notFound();
  }
  return comment;
}

async function deleteComment(key, caller = undefined) {
  await writable('delete', key, caller);
  const deleted = await deleteCommentByKey(key, ownerScope('delete', caller));
  if (!deleted) {
    throw notFound();
  }
}

module.exports = {
  listComments,
  getComment,
  createComment,
  updateComment,
  replaceComment,
  deleteComment,
};
