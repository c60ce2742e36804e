'use strict';

const { NotFoundError, ForbiddenError } = require('../utils/errors');
const { ownerScope, checkWrite } = require('../policies/users');
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

// One page (at most MAX_LIMIT rows) and the total count of matching users
// (only the caller's own when the policy limits it to them).
async function listUsers({ filters = {}, sort, order, limit = 20, offset = 0, cursor, count = true } = {}, caller = undefined) {
  const pageLimit = Math.min(limit, MAX_LIMIT);
  const owner = ownerScope('list', caller);
  const { rows, total, nextCursor } = await findUsers({ filters, sort, order, limit: pageLimit, offset, cursor, count, owner });
  return { rows, total, limit: pageLimit, offset, nextCursor };
}

// 404 for a row the caller may not read (its existence is not revealed).
async function getUser(key, caller = undefined) {
  const user = await findUserByKey(key, ownerScope('read', caller));
  if (user === null) {
    throw notFound();
  }
  return user;
}

// The row `operation` would change: 404 when the caller may not read it, 403 when it may
// read but not change it.
async function writable(operation, key, caller) {
  const readOwner = ownerScope('read', caller);
  const current = await findUserByKey(key, readOwner);
  if (current === null) {
    throw notFound();
  }
  const owner = ownerScope(operation, caller);
  if (owner !== null && (readOwner === null || String(readOwner) !== String(owner))
    && (await findUserByKey(key, owner)) === null) {
    throw new ForbiddenError('Only its owner may change this user');
  }
  return current;
}

async function createUser(data, caller = undefined) {
  await checkWrite(data, caller, undefined);
  return insertUser(data);
}

// The write repeats the owner check in its own statement: a row that changes hands
// between the check and the write is not written (404).
async function updateUser(key, changes, caller = undefined) {
  await checkWrite(changes, caller, await writable('update', key, caller));
  const user = await updateUserByKey(key, changes, ownerScope('update', caller));
  if (user === null) {
    throw notFound();
  }
  return user;
}

async function replaceUser(key, data, caller = undefined) {
  await checkWrite(data, caller, await writable('update', key, caller));
  const user = await replaceUserByKey(key, data, ownerScope('update', caller));
  if (user === null) {
    throw notFound();
  }
  return user;
}

async function deleteUser(key, caller = undefined) {
  await writable('delete', key, caller);
  const deleted = await deleteUserByKey(key, ownerScope('delete', caller));
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
