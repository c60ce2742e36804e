import express from 'express';
import type { Router } from 'express';
import { validate } from '../middleware/validate';
import { requireAuth } from '../auth/middleware';
import { usersSchemas } from '../schemas/users';
import {
  listUsersHandler,
  getUserHandler,
  createUserHandler,
  updateUserHandler,
  replaceUserHandler,
  deleteUserHandler,
} from '../handlers/users';

const usersRouter: Router = express.Router();

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

export { usersRouter };
