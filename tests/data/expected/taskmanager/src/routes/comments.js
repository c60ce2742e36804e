'use strict';

const express = require('express');
const { validate } = require('../middleware/validate');
const { requireAuth, allow } = require('../auth/middleware');
const { POLICY, fillOwner } = require('../policies/comments');
const { commentsSchemas } = require('../schemas/comments');
const {
  listCommentsHandler,
  getCommentHandler,
  createCommentHandler,
  updateCommentHandler,
  replaceCommentHandler,
  deleteCommentHandler,
} = require('../handlers/comments');

const commentsRouter = express.Router();

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

module.exports = { commentsRouter };
