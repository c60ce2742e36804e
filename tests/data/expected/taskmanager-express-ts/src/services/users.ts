import { NotFoundError, ForbiddenError } from '../utils/errors';
import { ownerScope, checkWrite } from '../policies/users';
import type { Operation } from '../policies/users';
import type { RequestUser } from '../middleware/validate';
import {
  findUsers,
  findUserByKey,
  insertUser,
  updateUserByKey,
  replaceUserByKey,
  deleteUserByKey,
} from '../models/users';
import type { UserRow } from '../models/users';
import type { Order, Row } from '../db/sql';
import type { Page } from '../utils/responses';

// Business rules for users; handlers call these, never the model directly.
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
  return new NotFoundError('User not found');
}

// One page (at most MAX_LIMIT rows) and the total count of matching users
// (only the caller's own when the policy limits it to them).
async function listUsers({ filters = {}, sort, order, limit = 20, offset = 0, cursor, count = true }: ListRequest = {}, caller: RequestUser | undefined = undefined): Promise<Page<UserRow>> {
  const pageLimit = Math.min(limit, MAX_LIMIT);
  const owner = ownerScope('list', caller);
  const { rows, total, nextCursor } = await findUsers({ filters, sort, order, limit: pageLimit, offset, cursor, count, owner });
  return { rows, total, limit: pageLimit, offset, nextCursor };
}

// 404 for a row the caller may not read (its existence is not revealed).
async function getUser(key: Row, caller: RequestUser | undefined = undefined): Promise<UserRow> {
  const user = await findUserByKey(key, ownerScope('read', caller));
  if (user === null) {
    throw notFound();
  }
  return user;
}

// The row `operation` would change: 404 when the caller may not read it, 403 when it may
// read but not change it.
async function writable(operation: Operation, key: Row,
  caller: RequestUser | undefined): Promise<UserRow> {
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

async function createUser(data: Row, caller: RequestUser | undefined = undefined): Promise<UserRow> {
  await checkWrite(data, caller, undefined);
  return insertUser(data);
}

// The write repeats the owner check in its own statement: a row that changes hands
// between the check and the write is not written (404).
async function updateUser(key: Row, changes: Row, caller: RequestUser | undefined = undefined): Promise<UserRow> {
  await checkWrite(changes, caller, await writable('update', key, caller));
  const user = await updateUserByKey(key, changes, ownerScope('update', caller));
  if (user === null) {
    throw notFound();
  }
  return user;
}

async function replaceUser(key: Row, data: Row, caller: RequestUser | undefined = undefined): Promise<UserRow> {
  await checkWrite(data, caller, await writable('update', key, caller));
  const user = await replaceUserByKey(key, data, ownerScope('update', caller));
  if (user === null) {
    throw notFound();
  }
  return user;
}

async function deleteUser(key: Row, caller: RequestUser | undefined = undefined): Promise<void> {
  await writable('delete', key, caller);
  const deleted = await deleteUserByKey(key, ownerScope('delete', caller));
  if (!deleted) {
    throw notFound();
  }
}

export {
  listUsers,
  getUser,
  createUser,
  updateUser,
  replaceUser,
  deleteUser,
};
