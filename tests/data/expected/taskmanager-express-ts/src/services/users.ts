import { NotFoundError } from '../utils/errors';
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

// One page (at most MAX_LIMIT rows) and the total count of matching users.
async function listUsers({ filters = {}, sort, order, limit = 20, offset = 0, cursor, count = true }: ListRequest = {}): Promise<Page<UserRow>> {
  const pageLimit = Math.min(limit, MAX_LIMIT);
  const { rows, total, nextCursor } = await findUsers({ filters, sort, order, limit: pageLimit, offset, cursor, count });
  return { rows, total, limit: pageLimit, offset, nextCursor };
}

async function getUser(key: Row): Promise<UserRow> {
  const user = await findUserByKey(key);
  if (user === null) {
    throw notFound();
  }
  return user;
}

async function createUser(data: Row): Promise<UserRow> {
  return insertUser(data);
}

async function updateUser(key: Row, changes: Row): Promise<UserRow> {
  const user = await updateUserByKey(key, changes);
  if (user === null) {
    throw notFound();
  }
  return user;
}

async function replaceUser(key: Row, data: Row): Promise<UserRow> {
  const user = await replaceUserByKey(key, data);
  if (user === null) {
    throw notFound();
  }
  return user;
}

async function deleteUser(key: Row): Promise<void> {
  const deleted = await deleteUserByKey(key);
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
