'use strict';

const { NotFoundError, ForbiddenError } = require('../utils/errors');
const { ownerScope, checkWrite } = require('../policies/tags');
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

// One page (at most MAX_LIMIT rows) and the total count of matching tags
// (only the caller's own when the policy limits it to them).
async function listTags({ filters = {}, sort, order, limit = 20, offset = 0, cursor, count = true } = {}, caller = undefined) {
  const pageLimit = Math.min(limit, MAX_LIMIT);
  const owner = ownerScope('list', caller);
  const { rows, total, nextCursor } = await findTags({ filters, sort, order, limit: pageLimit, offset, cursor, count, owner });
  return { rows, total, limit: pageLimit, offset, nextCursor };
}

// 404 for a row the caller may not read (its existence is not revealed).
async function getTag(key, caller = undefined) {
  const tag = await findTagByKey(key, ownerScope('read', caller));
  if (tag === null) {
    throw notFound();
  }
  return tag;
}

// The row `operation` would change: 404 when the caller may not read it, 403 when it may
// read but not change it.
async function writable(operation, key, caller) {
  const readOwner = ownerScope('read', caller);
  const current = await findTagByKey(key, readOwner);
  if (current === null) {
    throw notFound();
  }
  const owner = ownerScope(operation, caller);
  if (owner !== null && (readOwner === null || String(readOwner) !== String(owner))
    && (await findTagByKey(key, owner)) === null) {
    throw new ForbiddenError('Only its owner may change this tag');
  }
  return current;
}

async function createTag(data, caller = undefined) {
  await checkWrite(data, caller, undefined);
  return insertTag(data);
}

// The write repeats the owner check in its own statement: a row that changes hands
// between the check and the write is not written (404).
async function updateTag(key, changes, caller = undefined) {
  await checkWrite(changes, caller, await writable('update', key, caller));
  const tag = await updateTagByKey(key, changes, ownerScope('update', caller));
  if (tag === null) {
    throw notFound();
  }
  return tag;
}

async function replaceTag(key, data, caller = undefined) {
  await checkWrite(data, caller, await writable('update', key, caller));
  const tag = await replaceTagByKey(key, data, ownerScope('update', caller));
  if (tag === null) {
    throw notFound();
  }
  return tag;
}

async function deleteTag(key, caller = undefined) {
  await writable('delete', key, caller);
  const deleted = await deleteTagByKey(key, ownerScope('delete', caller));
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
