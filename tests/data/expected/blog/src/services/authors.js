'use strict';

const { NotFoundError, ForbiddenError } = require('../utils/errors');
const { ownerScope, checkWrite } = require('../policies/authors');
const {
  findAuthors,
  findAuthorByKey,
  insertAuthor,
  updateAuthorByKey,
  replaceAuthorByKey,
  deleteAuthorByKey,
} = require('../models/authors');

// Business rules for authors; handlers call these, never the model directly.
const MAX_LIMIT = 100;

function notFound() {
  return new NotFoundError('Author not found');
}

// One page (at most MAX_LIMIT rows) and the total count of matching authors
// (only the caller's own when the policy limits it to them).
async function listAuthors({ filters = {}, sort, order, limit = 20, offset = 0, cursor, count = true } = {}, caller = undefined) {
  const pageLimit = Math.min(limit, MAX_LIMIT);
  const owner = ownerScope('list', caller);
  const { rows, total, nextCursor } = await findAuthors({ filters, sort, order, limit: pageLimit, offset, cursor, count, owner });
  return { rows, total, limit: pageLimit, offset, nextCursor };
}

// 404 for a row the caller may not read (its existence is not revealed).
async function getAuthor(key, caller = undefined) {
  const author = await findAuthorByKey(key, ownerScope('read', caller));
  if (author === null) {
    throw notFound();
  }
  return author;
}

// The row `operation` would change: 404 when the caller may not read it, 403 when it may
// read but not change it.
async function writable(operation, key, caller) {
  const readOwner = ownerScope('read', caller);
  const current = await findAuthorByKey(key, readOwner);
  if (current === null) {
    throw notFound();
  }
  const owner = ownerScope(operation, caller);
  if (owner !== null && (readOwner === null || String(readOwner) !== String(owner))
    && (await findAuthorByKey(key, owner)) === null) {
    throw new ForbiddenError('Only its owner may change this author');
  }
  return current;
}

async function createAuthor(data, caller = undefined) {
  await checkWrite(data, caller, undefined);
  return insertAuthor(data);
}

// The write repeats the owner check in its own statement: a row that changes hands
// between the check and the write is not written (404).
async function updateAuthor(key, changes, caller = undefined) {
  await checkWrite(changes, caller, await writable('update', key, caller));
  const author = await updateAuthorByKey(key, changes, ownerScope('update', caller));
  if (author === null) {
    throw notFound();
  }
  return author;
}

async function replaceAuthor(key, data, caller = undefined) {
  await checkWrite(data, caller, await writable('update', key, caller));
  const author = await replaceAuthorByKey(key, data, ownerScope('update', caller));
  if (author === null) {
    throw notFound();
  }
  return author;
}

async function deleteAuthor(key, caller = undefined) {
  await writable('delete', key, caller);
  const deleted = await deleteAuthorByKey(key, ownerScope('delete', caller));
  if (!deleted) {
    throw notFound();
  }
}

module.exports = {
  listAuthors,
  getAuthor,
  createAuthor,
  updateAuthor,
  replaceAuthor,
  deleteAuthor,
};
