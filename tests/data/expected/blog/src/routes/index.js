'use strict';

const express = require('express');
const { authRouter } = require('../auth/routes');
const { customRouter } = require('./custom');
const { authorsRouter } = require('./authors');
const { postsRouter } = require('./posts');
const { tagsRouter } = require('./tags');
const { postTagsRouter } = require('./post-tags');

// Every route of the API, relative to the prefix the app mounts it under.
// Routers with fixed paths go first so item routes (/:id) cannot shadow them.
function createApiRouter() {
  const router = express.Router();
  router.use(authRouter);
  router.use(customRouter);
  router.use(authorsRouter);
  router.use(postsRouter);
  router.use(tagsRouter);
  router.use(postTagsRouter);
  return router;
}

module.exports = { createApiRouter };
