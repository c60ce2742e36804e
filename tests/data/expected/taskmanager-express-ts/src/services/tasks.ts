import { NotFoundError, NotImplementedError } from '../utils/errors';
import {
  findTasks,
  findTaskByKey,
  insertTask,
  updateTaskByKey,
  replaceTaskByKey,
  deleteTaskByKey,
} from '../models/tasks';
import type { TaskRow } from '../models/tasks';
import type { Order, Row } from '../db/sql';
import type { Page } from '../utils/responses';
import type { EndpointRequest } from '../utils/validation';

// Business rules for tasks; handlers call these, never the model directly.
const MAX_LIMIT = 100;

export interface ListRequest {
  filters?: Row;
  sort?: string | undefined;
  order?: Order | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
  cursor?: string | undefined;
  count?: boolean | undefined;
}

function notFound(): NotFoundError {
  return new NotFoundError('Task not found');
}

// One page (at most MAX_LIMIT rows) and the total count of matching tasks.
async function listTasks({ filters = {}, sort, order, limit = 20, offset = 0, cursor, count = true }: ListRequest = {}): Promise<Page<TaskRow>> {
  const pageLimit = Math.min(limit, MAX_LIMIT);
  const { rows, total, nextCursor } = await findTasks({ filters, sort, order, limit: pageLimit, offset, cursor, count });
  return { rows, total, limit: pageLimit, offset, nextCursor };
}

async function getTask(key: Row): Promise<TaskRow> {
  const task = await findTaskByKey(key);
  if (task === null) {
    throw notFound();
  }
  return task;
}

async function createTask(data: Row): Promise<TaskRow> {
  return insertTask(data);
}

async function updateTask(key: Row, changes: Row): Promise<TaskRow> {
  const task = await updateTaskByKey(key, changes);
  if (task === null) {
    throw notFound();
  }
  return task;
}

async function replaceTask(key: Row, data: Row): Promise<TaskRow> {
  const task = await replaceTaskByKey(key, data);
  if (task === null) {
    throw notFound();
  }
  return task;
}

async function deleteTask(key: Row): Promise<void> {
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
async function completeTask(_request: EndpointRequest): Promise<unknown> {
  throw new NotImplementedError('POST /tasks/{id}/complete');
}

export {
  listTasks,
  getTask,
  createTask,
  updateTask,
  replaceTask,
  deleteTask,
  completeTask,
};
