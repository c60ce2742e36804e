'use strict';

const { NotFoundError } = require('../utils/errors');
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

// One page (at most MAX_LIMIT rows) and the total count of matching comments.
async function listComments({ filters = {}, sort, order, limit = 20, offset = 0, cursor, count = true } = {}) {
  const pageLimit = Math.min(limit, MAX_LIMIT);
  const { rows, total, nextCursor } = await findComments({ filters, sort, order, limit: pageLimit, offset, cursor, count });
  return { rows, total, limit: pageLimit, offset, nextCursor };
}

async function getComment(key) {
  const comment = await findCommentByKey(key);
  if (comment === null) {
    throw notFound();
  }
  return comment;
}

async function createComment(data) {
  return insertComment(data);
}

async function updateComment(key, changes) {
  const comment = await updateCommentByKey(key, changes);
  if (comment === null) {
    throw notFound();
  }
  return comment;
}

async function replaceComment(key, data) {
  const comment = await replaceCommentByKey(key, data);
  if (comment === null) {
    throw notFound();
  }
  return comment;
}

async function deleteComment(key) {
  const deleted = await deleteCommentByKey(key);
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
