'use strict';

const express = require('express');
const { validate } = require('../middleware/validate');
const { requireAuth } = require('../auth/middleware');
const { usersSchemas } = require('../schemas/users');
const {
  listUsersHandler,
  getUserHandler,
  createUserHandler,
  updateUserHandler,
  replaceUserHandler,
  deleteUserHandler,
} = require('../handlers/users');

const usersRouter = express.Router();

usersRouter.get(
  '/users',
  validate({ query: usersSchemas.listQuery }),
  listUsersHandler,
);
usersRouter.post(
  '/users',
  requireAuth,
  validate({ body: usersSchemas.create }),
  createUserHandler,
);
usersRouter.get(
  '/users/:id',
  validate({ params: usersSchemas.params }),
  getUserHandler,
);
usersRouter.put(
  '/users/:id',
  requireAuth,
  validate({ params: usersSchemas.params, body: usersSchemas.replace }),
  replaceUserHandler,
);
usersRouter.patch(
  '/users/:id',
  requireAuth,
  validate({ params: usersSchemas.params, body: usersSchemas.update }),
  updateUserHandler,
);
usersRouter.delete(
  '/users/:id',
  requireAuth,
  validate({ params: usersSchemas.params }),
  deleteUserHandler,
);

module.exports = { usersRouter };
