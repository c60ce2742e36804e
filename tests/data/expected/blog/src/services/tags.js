'use strict';

const { NotFoundError } = require('../utils/errors');
const {
  findTags,
  findTagByKey,
  insertTag,
  updateTagByKey,
  replaceTagByKey,
  deleteTagByKey,
} = require('../models/tags');

// Business rules for tags; handlers call these, never the model directly.
const MAX_LIMIT = 100;

function notFound() {
  return new NotFoundError('Tag not found');
}

// One page (at most MAX_LIMIT rows) and the total count of matching tags.
async function listTags({ filters = {}, sort, order, limit = 20, offset = 0, cursor, count = true } = {}) {
  const pageLimit = Math.min(limit, MAX_LIMIT);
  const { rows, total, nextCursor } = await findTags({ filters, sort, order, limit: pageLimit, offset, cursor, count });
  return { rows, total, limit: pageLimit, offset, nextCursor };
}

async function getTag(key) {
  const tag = await findTagByKey(key);
  if (tag === null) {
    throw notFound();
  }
  return tag;
}

async function createTag(data) {
  return insertTag(data);
}

async function updateTag(key, changes) {
  const tag = await updateTagByKey(key, changes);
  if (tag === null) {
    throw notFound();
  }
  return tag;
}

async function replaceTag(key, data) {
  const tag = await replaceTagByKey(key, data);
  if (tag === null) {
    throw notFound();
  }
  return tag;
}

async function deleteTag(key) {
  const deleted = await deleteTagByKey(key);
  if (!deleted) {
    throw notFound();
  }
}

module.exports = {
  listTags,
  getTag,
  createTag,
  updateTag,
  replaceTag,
  deleteTag,
};
