'use strict';

const express = require('express');
const { authRouter } = require('../auth/routes');
const { usersRouter } = require('./users');
const { projectsRouter } = require('./projects');
const { tasksRouter } = require('./tasks');
const { commentsRouter } = require('./comments');

// Every route of the API, relative to the prefix the app mounts it under.
// Routers with fixed paths go first so item routes (/:id) cannot shadow them.
function createApiRouter() {
  const router = express.Router();
  router.use(authRouter);
  router.use(usersRouter);
  router.use(projectsRouter);
  router.use(tasksRouter);
  router.use(commentsRouter);
  return router;
}

module.exports = { createApiRouter };
