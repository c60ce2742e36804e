'use strict';

const express = require('express');
const { validate } = require('../middleware/validate');
const { requireAuth, allow } = require('../auth/middleware');
const { POLICY } = require('../policies/post-tags');
const { postTagsSchemas } = require('../schemas/post-tags');
const {
  listPostTagsHandler,
  getPostTagHandler,
  createPostTagHandler,
  updatePostTagHandler,
  replacePostTagHandler,
  deletePostTagHandler,
} = require('../handlers/post-tags');

const postTagsRouter = express.Router();

// Each route applies the table's access policy (src/policies/post-tags.js): no token is
// 401, a role the rule leaves out is 403, and the service limits owner rules to the
// caller's rows in SQL. An operation the policy allows no one has no route.

postTagsRouter.get(
  '/post-tags',
  requireAuth,
  allow(POLICY.rules.list),
  validate({ query: postTagsSchemas.listQuery }),
  listPostTagsHandler,
);
postTagsRouter.post(
  '/post-tags',
  requireAuth,
  allow(POLICY.rules.create),
  validate({ body: postTagsSchemas.create }),
  createPostTagHandler,
);
postTagsRouter.get(
  '/post-tags/:id',
  requireAuth,
  allow(POLICY.rules.read),
  validate({ params: postTagsSchemas.params }),
  getPostTagHandler,
);
postTagsRouter.put(
  '/post-tags/:id',
  requireAuth,
  allow(POLICY.rules.update),
  validate({ params: postTagsSchemas.params, body: postTagsSchemas.replace }),
  replacePostTagHandler,
);
postTagsRouter.patch(
  '/post-tags/:id',
  requireAuth,
  allow(POLICY.rules.update),
  validate({ params: postTagsSchemas.params, body: postTagsSchemas.update }),
  updatePostTagHandler,
);
postTagsRouter.delete(
  '/post-tags/:id',
  requireAuth,
  allow(POLICY.rules.delete),
  validate({ params: postTagsSchemas.params }),
  deletePostTagHandler,
);

module.exports = { postTagsRouter };
