'use strict';

const express = require('express');
const { MethodNotAllowedError } = require('../utils/errors');
const { createAuthRouter } = require('../auth/routes');
const { usersRouter } = require('./users');
const { projectsRouter } = require('./projects');
const { tasksRouter } = require('./tasks');
const { commentsRouter } = require('./comments');

// Path -> methods served, read from the routers' own route table (nested routers too).
function routeMethods(stack, table = new Map()) {
  for (const layer of stack) {
    if (layer.route !== undefined) {
      const methods = table.get(layer.route.path) ?? new Set();
      for (const [method, served] of Object.entries(layer.route.methods)) {
        if (served && method !== '_all') {
          methods.add(method.toUpperCase());
        }
      }
      table.set(layer.route.path, methods);
    } else if (Array.isArray(layer.handle?.stack)) {
      routeMethods(layer.handle.stack, table);
    }
  }
  return table;
}

// A known path asked with a method it does not serve (TRACE, a PUT on a collection...)
// answers 405 with an Allow header, not 404. Registered after every route, so it only
// sees requests no route took.
function answerUnservedMethods(router) {
  for (const [path, methods] of routeMethods(router.stack)) {
    if (methods.has('GET')) {
      methods.add('HEAD');
    }
    const allowed = [...methods].sort();
    router.all(path, (req, res, next) => {
      next(new MethodNotAllowedError(req.method, req.path, allowed));
    });
  }
}

// Every route of the API, relative to the prefix the app mounts it under.
// Routers with fixed paths go first so item routes (/:id) cannot shadow them.
function createApiRouter() {
  const router = express.Router();
  router.use(createAuthRouter());
  router.use(usersRouter);
  router.use(projectsRouter);
  router.use(tasksRouter);
  router.use(commentsRouter);
  answerUnservedMethods(router);
  return router;
}

module.exports = { createApiRouter };
