'use strict';

const express = require('express');
const { validate } = require('../middleware/validate');
const { requireAuth } = require('../auth/middleware');
const { postsSchemas } = require('../schemas/posts');
const {
  listPostsHandler,
  getPostHandler,
  createPostHandler,
  updatePostHandler,
  replacePostHandler,
  deletePostHandler,
  publishPostHandler,
} = require('../handlers/posts');

const postsRouter = express.Router();

// Custom endpoints first: their fixed segments must win over /posts/:id.
postsRouter.post(
  '/posts/:id/publish',
  requireAuth,
  validate({ params: postsSchemas.endpoints.publishPost.params }),
  publishPostHandler,
);

postsRouter.get(
  '/posts',
  validate({ query: postsSchemas.listQuery }),
  listPostsHandler,
);
postsRouter.post(
  '/posts',
  requireAuth,
  validate({ body: postsSchemas.create }),
  createPostHandler,
);
postsRouter.get(
  '/posts/:id',
  validate({ params: postsSchemas.params }),
  getPostHandler,
);
postsRouter.put(
  '/posts/:id',
  requireAuth,
  validate({ params: postsSchemas.params, body: postsSchemas.replace }),
  replacePostHandler,
);
postsRouter.patch(
  '/posts/:id',
  requireAuth,
  validate({ params: postsSchemas.params, body: postsSchemas.update }),
  updatePostHandler,
);
postsRouter.delete(
  '/posts/:id',
  requireAuth,
  validate({ params: postsSchemas.params }),
  deletePostHandler,
);

module.exports = { postsRouter };
