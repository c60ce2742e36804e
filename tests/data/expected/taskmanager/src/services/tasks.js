'use strict';

const { NotFoundError, NotImplementedError } = require('../utils/errors');
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

// One page (at most MAX_LIMIT rows) and the total count of matching tasks.
async function listTasks({ filters = {}, sort, order, limit = 20, offset = 0, cursor, count = true } = {}) {
  const pageLimit = Math.min(limit, MAX_LIMIT);
  const { rows, total, nextCursor } = await findTasks({ filters, sort, order, limit: pageLimit, offset, cursor, count });
  return { rows, total, limit: pageLimit, offset, nextCursor };
}

async function getTask(key) {
  const task = await findTaskByKey(key);
  if (task === null) {
    throw notFound();
  }
  return task;
}

async function createTask(data) {
  return insertTask(data);
}

async function updateTask(key, changes) {
  const task = await updateTaskByKey(key, changes);
  if (task === null) {
    throw notFound();
  }
  return task;
}

async function replaceTask(key, data) {
  const task = await replaceTaskByKey(key, data);
  if (task === null) {
    throw notFound();
  }
  return task;
}

async function deleteTask(key) {
  const deleted = await deleteTaskByKey(key);
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
