'use strict';

const express = require('express');
const { validate } = require('../middleware/validate');
const { requireAuth } = require('../auth/middleware');
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

postTagsRouter.get(
  '/post-tags',
  validate({ query: postTagsSchemas.listQuery }),
  listPostTagsHandler,
);
postTagsRouter.post(
  '/post-tags',
  requireAuth,
  validate({ body: postTagsSchemas.create }),
  createPostTagHandler,
);
postTagsRouter.get(
  '/post-tags/:id',
  validate({ params: postTagsSchemas.params }),
  getPostTagHandler,
);
postTagsRouter.put(
  '/post-tags/:id',
  requireAuth,
  validate({ params: postTagsSchemas.params, body: postTagsSchemas.replace }),
  replacePostTagHandler,
);
postTagsRouter.patch(
  '/post-tags/:id',
  requireAuth,
  validate({ params: postTagsSchemas.params, body: postTagsSchemas.update }),
  updatePostTagHandler,
);
postTagsRouter.delete(
  '/post-tags/:id',
  requireAuth,
  validate({ params: postTagsSchemas.params }),
  deletePostTagHandler,
);

module.exports = { postTagsRouter };
