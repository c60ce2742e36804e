import express from 'express';
import type { Router } from 'express';
import { validate } from '../middleware/validate';
import { requireAuth } from '../auth/middleware';
import { commentsSchemas } from '../schemas/comments';
import {
  listCommentsHandler,
  getCommentHandler,
  createCommentHandler,
  updateCommentHandler,
  replaceCommentHandler,
  deleteCommentHandler,
} from '../handlers/comments';

const commentsRouter: Router = express.Router();

commentsRouter.get(
  '/comments',
  validate({ query: commentsSchemas.listQuery }),
  listCommentsHandler,
);
commentsRouter.post(
  '/comments',
  requireAuth,
  validate({ body: commentsSchemas.create }),
  createCommentHandler,
);
commentsRouter.get(
  '/comments/:id',
  validate({ params: commentsSchemas.params }),
  getCommentHandler,
);
commentsRouter.put(
  '/comments/:id',
  requireAuth,
  validate({ params: commentsSchemas.params, body: commentsSchemas.replace }),
  replaceCommentHandler,
);
commentsRouter.patch(
  '/comments/:id',
  requireAuth,
  validate({ params: commentsSchemas.params, body: commentsSchemas.update }),
  updateCommentHandler,
);
commentsRouter.delete(
  '/comments/:id',
  requireAuth,
  validate({ params: commentsSchemas.params }),
  deleteCommentHandler,
);

export { commentsRouter };
