'use strict';

const { NotFoundError, ForbiddenError, NotImplementedError } = require('../utils/errors');
const { ownerScope, checkWrite } = require('../policies/tasks');
const {
  findTasks,
  findTaskByKey,
  insertTask,
  updateTaskByKey,
  replaceTaskByKey,
  deleteTaskByKey,
} = require('../models/tasks');

// Business rules for tasks; handlers call these, never the model directly.
const MAX_LIMIT = 100;

function notFound() {
  return new NotFoundError('Task not found');
}

// One page (at most MAX_LIMIT rows) and the total count of matching tasks
// (only the caller's own when the policy limits it to them).
async function listTasks({ filters = {}, sort, order, limit = 20, offset = 0, cursor, count = true } = {}, caller = undefined) {
  const pageLimit = Math.min(limit, MAX_LIMIT);
  const owner = ownerScope('list', caller);
  const { rows, total, nextCursor } = await findTasks({ filters, sort, order, limit: pageLimit, offset, cursor, count, owner });
  return { rows, total, limit: pageLimit, offset, nextCursor };
}

// 404 for a row the caller may not read (its existence is not revealed).
async function getTask(key, caller = undefined) {
  const task = await findTaskByKey(key, ownerScope('read', caller));
  if (task === null) {
    throw notFound();
  }
  return task;
}

// The row `operation` would change: 404 when the caller may not read it, 403 when it may
// read but not change it.
async function writable(operation, key, caller) {
  const readOwner = ownerScope('read', caller);
  const current = await findTaskByKey(key, readOwner);
  if (current === null) {
    throw notFound();
  }
  const owner = ownerScope(operation, caller);
  if (owner !== null && (readOwner === null || String(readOwner) !== String(owner))
    && (await findTaskByKey(key, owner)) === null) {
    throw new ForbiddenError('Only its owner may change this task');
  }
  return current;
}

async function createTask(data, caller = undefined) {
  await checkWrite(data, caller, undefined);
  return insertTask(data);
}

// The write repeats the owner check in its own statement: a row that changes hands
// between the check and the write is not written (404).
async function updateTask(key, changes, caller = undefined) {
  await checkWrite(changes, caller, await writable('update', key, caller));
  const task = await updateTaskByKey(key, changes, ownerScope('update', caller));
  if (task === null) {
    throw notFound();
  }
  return task;
}

async function replaceTask(key, data, caller = undefined) {
  await checkWrite(data, caller, await writable('update', key, caller));
  const task = await replaceTaskByKey(key, data, ownerScope('update', caller));
  if (task === null) {
    throw notFound();
  }
  return task;
}

async function deleteTask(key, caller = undefined) {
  await writable('delete', key, caller);
  const deleted = await deleteTaskByKey(key, ownerScope('delete', caller));
  if (!deleted) {
    throw notFound();
  }
}

/**
 * POST /tasks/{id}/complete: Mark a task as done and return it.
 * Declared in the spec without logic: write it here. `request` holds the
 * validated { params, query, body } and `user` (the signed-in account, if any).
 */
async function completeTask(_request) {
  throw new NotImplementedError('POST /tasks/{id}/complete');
}

module.exports = {
  listTasks,
  getTask,
  createTask,
  updateTask,
  replaceTask,
  deleteTask,
  completeTask,
};
