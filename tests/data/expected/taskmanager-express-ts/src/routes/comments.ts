import express from 'express';
import type { Router } from 'express';
import { validate } from '../middleware/validate';
import { requireAuth, allow } from '../auth/middleware';
import { POLICY, fillOwner } from '../policies/comments';
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

// Each route applies the table's access policy (src/policies/comments.js): no token is
// 401, a role the rule leaves out is 403, and the service limits owner rules to the
// caller's rows in SQL. An operation the policy allows no one has no route.

commentsRouter.get(
  '/comments',
  requireAuth,
  allow(POLICY.rules.list),
  validate({ query: commentsSchemas.listQuery }),
  listCommentsHandler,
);
commentsRouter.post(
  '/comments',
  requireAuth,
  allow(POLICY.rules.create),
  fillOwner,
  validate({ body: commentsSchemas.create }),
  createCommentHandler,
);
commentsRouter.get(
  '/comments/:id',
  requireAuth,
  allow(POLICY.rules.read),
  validate({ params: commentsSchemas.params }),
  getCommentHandler,
);
commentsRouter.put(
  '/comments/:id',
  requireAuth,
  allow(POLICY.rules.update),
  validate({ params: commentsSchemas.params, body: commentsSchemas.replace }),
  replaceCommentHandler,
);
commentsRouter.patch(
  '/comments/:id',
  requireAuth,
  allow(POLICY.rules.update),
  validate({ params: commentsSchemas.params, body: commentsSchemas.update }),
  updateCommentHandler,
);
commentsRouter.delete(
  '/comments/:id',
  requireAuth,
  allow(POLICY.rules.delete),
  validate({ params: commentsSchemas.params }),
  deleteCommentHandler,
);

export { commentsRouter };
