import { NotFoundError, ForbiddenError } from '../utils/errors';
import { ownerScope, checkWrite } from '../policies/comments';
import type { Operation } from '../policies/comments';
import type { RequestUser } from '../middleware/validate';
import {
  findComments,
  findCommentByKey,
  insertComment,
  updateCommentByKey,
  replaceCommentByKey,
  deleteCommentByKey,
} from '../models/comments';
import type { CommentRow } from '../models/comments';
import type { Order, Row } from '../db/sql';
import type { Page } from '../utils/responses';

// Business rules for comments; handlers call these, never the model directly.
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
  return new NotFoundError('Comment not found');
}

// One page (at most MAX_LIMIT rows) and the total count of matching comments
// (only the caller's own when the policy limits it to them).
async function listComments({ filters = {}, sort, order, limit = 20, offset = 0, cursor, count = true }: ListRequest = {}, caller: RequestUser | undefined = undefined): Promise<Page<CommentRow>> {
  const pageLimit = Math.min(limit, MAX_LIMIT);
  const owner = ownerScope('list', caller);
  const { rows, total, nextCursor } = await findComments({ filters, sort, order, limit: pageLimit, offset, cursor, count, owner });
  return { rows, total, limit: pageLimit, offset, nextCursor };
}

// 404 for a row the caller may not read (its existence is not revealed).
async function getComment(key: Row, caller: RequestUser | undefined = undefined): Promise<CommentRow> {
  const comment = await findCommentByKey(key, ownerScope('read', caller));
  if (comment === null) {
    throw notFound();
  }
  return comment;
}

// The row `operation` would change: 404 when the caller may not read it, 403 when it may
// read but not change it.
async function writable(operation: Operation, key: Row,
  caller: RequestUser | undefined): Promise<CommentRow> {
  const readOwner = ownerScope('read', caller);
  const current = await findCommentByKey(key, readOwner);
  if (current === null) {
    throw notFound();
  }
  const owner = ownerScope(operation, caller);
  if (owner !== null && (readOwner === null || String(readOwner) !== String(owner))
    && (await findCommentByKey(key, owner)) === null) {
    throw new ForbiddenError('Only its owner may change this comment');
  }
  return current;
}

async function createComment(data: Row, caller: RequestUser | undefined = undefined): Promise<CommentRow> {
  await checkWrite(data, caller, undefined);
  return insertComment(data);
}

// The write repeats the owner check in its own statement: a row that changes hands
// between the check and the write is not written (404).
async function updateComment(key: Row, changes: Row, caller: RequestUser | undefined = undefined): Promise<CommentRow> {
  await checkWrite(changes, caller, await writable('update', key, caller));
  const comment = await updateCommentByKey(key, changes, ownerScope('update', caller));
  if (comment === null) {
    throw notFound();
  }
  return comment;
}

async function replaceComment(key: Row, data: Row, caller: RequestUser | undefined = undefined): Promise<CommentRow> {
  await checkWrite(data, caller, await writable('update', key, caller));
  const comment = await replaceCommentByKey(key, data, ownerScope('update', caller));
  if (comment === null) {
    throw notFound();
  }
  return comment;
}

async function deleteComment(key: Row, caller: RequestUser | undefined = undefined): Promise<void> {
  await writable('delete', key, caller);
  const deleted = await deleteCommentByKey(key, ownerScope('delete', caller));
  if (!deleted) {
    throw notFound();
  }
}

export {
  listComments,
  getComment,
  createComment,
  updateComment,
  replaceComment,
  deleteComment,
};
