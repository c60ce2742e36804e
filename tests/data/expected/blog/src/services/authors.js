'use strict';

const { NotFoundError } = require('../utils/errors');
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

// One page (at most MAX_LIMIT rows) and the total count of matching authors.
async function listAuthors({ filters = {}, sort, order, limit = 20, offset = 0, cursor, count = true } = {}) {
  const pageLimit = Math.min(limit, MAX_LIMIT);
  const { rows, total, nextCursor } = await findAuthors({ filters, sort, order, limit: pageLimit, offset, cursor, count });
  return { rows, total, limit: pageLimit, offset, nextCursor };
}

async function getAuthor(key) {
  const author = await findAuthorByKey(key);
  if (author === null) {
    throw notFound();
  }
  return author;
}

async function createAuthor(data) {
  return insertAuthor(data);
}

async function updateAuthor(key, changes) {
  const author = await updateAuthorByKey(key, changes);
  if (author === null) {
    throw notFound();
  }
  return author;
}

async function replaceAuthor(key, data) {
  const author = await replaceAuthorByKey(key, data);
  if (author === null) {
    throw notFound();
  }
  return author;
}

async function deleteAuthor(key) {
  const deleted = await deleteAuthorByKey(key);
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
