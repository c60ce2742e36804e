import { NotFoundError, ForbiddenError, NotImplementedError } from '../utils/errors';
import { ownerScope, checkWrite } from '../policies/tasks';
import type { Operation } from '../policies/tasks';
import type { RequestUser } from '../middleware/validate';
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

// One page (at most MAX_LIMIT rows) and the total count of matching tasks
// (only the caller's own when the policy limits it to them).
async function listTasks({ filters = {}, sort, order, limit = 20, offset = 0, cursor, count = true }: ListRequest = {}, caller: RequestUser | undefined = undefined): Promise<Page<TaskRow>> {
  const pageLimit = Math.min(limit, MAX_LIMIT);
  const owner = ownerScope('list', caller);
  const { rows, total, nextCursor } = await findTasks({ filters, sort, order, limit: pageLimit, offset, cursor, count, owner });
  return { rows, total, limit: pageLimit, offset, nextCursor };
}

// 404 for a row the caller may not read (its existence is not revealed).
async function getTask(key: Row, caller: RequestUser | undefined = undefined): Promise<TaskRow> {
  const task = await findTaskByKey(key, ownerScope('read', caller));
  if (task === null) {
    throw notFound();
  }
  return task;
}

// The row `operation` would change: 404 when the caller may not read it, 403 when it may
// read but not change it.
async function writable(operation: Operation, key: Row,
  caller: RequestUser | undefined): Promise<TaskRow> {
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

async function createTask(data: Row, caller: RequestUser | undefined = undefined): Promise<TaskRow> {
  await checkWrite(data, caller, undefined);
  return insertTask(data);
}

// The write repeats the owner check in its own statement: a row that changes hands
// between the check and the write is not written (404).
async function updateTask(key: Row, changes: Row, caller: RequestUser | undefined = undefined): Promise<TaskRow> {
  await checkWrite(changes, caller, await writable('update', key, caller));
  const task = await updateTaskByKey(key, changes, ownerScope('update', caller));
  if (task === null) {
    throw notFound();
  }
  return task;
}

async function replaceTask(key: Row, data: Row, caller: RequestUser | undefined = undefined): Promise<TaskRow> {
  await checkWrite(data, caller, await writable('update', key, caller));
  const task = await replaceTaskByKey(key, data, ownerScope('update', caller));
  if (task === null) {
    throw notFound();
  }
  return task;
}

async function deleteTask(key: Row, caller: RequestUser | undefined = undefined): Promise<void> {
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
