'use strict';

const { NotFoundError } = require('../utils/errors');
const {
  findUsers,
  findUserByKey,
  insertUser,
  updateUserByKey,
  replaceUserByKey,
  deleteUserByKey,
} = require('../models/users');

// Business rules for users; handlers call these, never the model directly.
const MAX_LIMIT = 100;

function notFound() {
  return new NotFoundError('User not found');
}

// One page (at most MAX_LIMIT rows) and the total count of matching users.
async function listUsers({ filters = {}, sort, order, limit = 20, offset = 0, cursor, count = true } = {}) {
  const pageLimit = Math.min(limit, MAX_LIMIT);
  const { rows, total, nextCursor } = await findUsers({ filters, sort, order, limit: pageLimit, offset, cursor, count });
  return { rows, total, limit: pageLimit, offset, nextCursor };
}

async function getUser(key) {
  const user = await findUserByKey(key);
  if (user === null) {
    throw notFound();
  }
  return user;
}

async function createUser(data) {
  return insertUser(data);
}

async function updateUser(key, changes) {
  const user = await updateUserByKey(key, changes);
  if (user === null) {
    throw notFound();
  }
  return user;
}

async function replaceUser(key, data) {
  const user = await replaceUserByKey(key, data);
  if (user === null) {
    throw notFound();
  }
  return user;
}

async function deleteUser(key) {
  const deleted = await deleteUserByKey(key);
  if (!deleted) {
    throw notFound();
  }
}

module.exports = {
  listUsers,
  getUser,
  createUser,
  updateUser,
  replaceUser,
  deleteUser,
};
