import type { Request, Response } from 'express';
import { sendList, sendCreated, sendNoContent, itemLocation } from '../utils/responses';
import { validatedOf } from '../middleware/validate';
import type { Order } from '../db/sql';
import {
  listComments,
  getComment,
  createComment,
  updateComment,
  replaceComment,
  deleteComment,
} from '../services/comments';

// HTTP <-> service for comments. Inputs were validated by the route's
// middleware (req.validated); Express 5 forwards rejected promises to the error handler.
const COLLECTION = '/comments';

function location(req: Request, comment: Record<string, unknown>): string {
  return itemLocation(req, COLLECTION, [comment.id]);
}

async function listCommentsHandler(req: Request, res: Response): Promise<void> {
  const { limit, offset, sort, order, cursor, count, ...filters } = validatedOf(req).query;
  sendList(res, await listComments({
    filters,
    sort: sort as string | undefined,
    order: order as Order | undefined,
    limit: limit as number | undefined,
    offset: offset as number | undefined,
    cursor: cursor as string | undefined,
    count: count as boolean | undefined,
  }, req.user));
}

async function getCommentHandler(req: Request, res: Response): Promise<void> {
  res.status(200).json(await getComment(validatedOf(req).params, req.user));
}

async function createCommentHandler(req: Request, res: Response): Promise<void> {
  const comment = await createComment(validatedOf(req).body, req.user);
  sendCreated(res, location(req, comment), comment);
}

async function updateCommentHandler(req: Request, res: Response): Promise<void> {
  res.status(200).json(await updateComment(validatedOf(req).params, validatedOf(req).body, req.user));
}

async function replaceCommentHandler(req: Request, res: Response): Promise<void> {
  res.status(200).json(await replaceComment(validatedOf(req).params, validatedOf(req).body, req.user));
}

async function deleteCommentHandler(req: Request, res: Response): Promise<void> {
  await deleteComment(validatedOf(req).params, req.user);
  sendNoContent(res);
}

export {
  listCommentsHandler,
  getCommentHandler,
  createCommentHandler,
  updateCommentHandler,
  replaceCommentHandler,
  deleteCommentHandler,
};
