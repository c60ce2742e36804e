'use strict';

const express = require('express');
const { validate } = require('../middleware/validate');
const { requireAuth } = require('../auth/middleware');
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

module.exports = { commentsRouter };
