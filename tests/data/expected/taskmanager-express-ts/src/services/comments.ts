import { NotFoundError } from '../utils/errors';
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

// One page (at most MAX_LIMIT rows) and the total count of matching comments.
async function listComments({ filters = {}, sort, order, limit = 20, offset = 0, cursor, count = true }: ListRequest = {}): Promise<Page<CommentRow>> {
  const pageLimit = Math.min(limit, MAX_LIMIT);
  const { rows, total, nextCursor } = await findComments({ filters, sort, order, limit: pageLimit, offset, cursor, count });
  return { rows, total, limit: pageLimit, offset, nextCursor };
}

async function getComment(key: Row): Promise<CommentRow> {
  const comment = await findCommentByKey(key);
  if (comment === null) {
    throw notFound();
  }
  return comment;
}

async function createComment(data: Row): Promise<CommentRow> {
  return insertComment(data);
}

async function updateComment(key: Row, changes: Row): Promise<CommentRow> {
  const comment = await updateCommentByKey(key, changes);
  if (comment === null) {
    throw notFound();
  }
  return comment;
}

async function replaceComment(key: Row, data: Row): Promise<CommentRow> {
  const comment = await replaceCommentByKey(key, data);
  if (comment === null) {
    throw notFound();
  }
  return comment;
}

async function deleteComment(key: Row): Promise<void> {
  const deleted = await deleteCommentByKey(key);
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
