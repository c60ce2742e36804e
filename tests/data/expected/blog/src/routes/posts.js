'use strict';

const express = require('express');
const { validate } = require('../middleware/validate');
const { requireAuth, allow } = require('../auth/middleware');
const { POLICY, fillOwner } = require('../policies/posts');
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

// Each route applies the table's access policy (src/policies/posts.js): no token is
// 401, a role the rule leaves out is 403, and the service limits owner rules to the
// caller's rows in SQL. An operation the policy allows no one has no route.

postsRouter.get(
  '/posts',
  requireAuth,
  allow(POLICY.rules.list),
  validate({ query: postsSchemas.listQuery }),
  listPostsHandler,
);
postsRouter.post(
  '/posts',
  requireAuth,
  allow(POLICY.rules.create),
  fillOwner,
  validate({ body: postsSchemas.create }),
  createPostHandler,
);
postsRouter.get(
  '/posts/:id',
  requireAuth,
  allow(POLICY.rules.read),
  validate({ params: postsSchemas.params }),
  getPostHandler,
);
postsRouter.put(
  '/posts/:id',
  requireAuth,
  allow(POLICY.rules.update),
  validate({ params: postsSchemas.params, body: postsSchemas.replace }),
  replacePostHandler,
);
postsRouter.patch(
  '/posts/:id',
  requireAuth,
  allow(POLICY.rules.update),
  validate({ params: postsSchemas.params, body: postsSchemas.update }),
  updatePostHandler,
);
postsRouter.delete(
  '/posts/:id',
  requireAuth,
  allow(POLICY.rules.delete),
  validate({ params: postsSchemas.params }),
  deletePostHandler,
);

module.exports = { postsRouter };
