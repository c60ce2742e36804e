import express from 'express';
import type { Router } from 'express';
import { validate } from '../middleware/validate';
import { requireAuth, allow } from '../auth/middleware';
import { POLICY } from '../policies/users';
import { usersSchemas } from '../schemas/users';
import {
  listUsersHandler,
  getUserHandler,
  updateUserHandler,
  replaceUserHandler,
  deleteUserHandler,
} from '../handlers/users';

const usersRouter: Router = express.Router();

// Each route applies the table's access policy (src/policies/users.js): no token is
// 401, a role the rule leaves out is 403, and the service limits owner rules to the
// caller's rows in SQL. An operation the policy allows no one has no route.

usersRouter.get(
  '/users',
  requireAuth,
  allow(POLICY.rules.list),
  validate({ query: usersSchemas.listQuery }),
  listUsersHandler,
);
usersRouter.get(
  '/users/:id',
  requireAuth,
  allow(POLICY.rules.read),
  validate({ params: usersSchemas.params }),
  getUserHandler,
);
usersRouter.put(
  '/users/:id',
  requireAuth,
  allow(POLICY.rules.update),
  validate({ params: usersSchemas.params, body: usersSchemas.replace }),
  replaceUserHandler,
);
usersRouter.patch(
  '/users/:id',
  requireAuth,
  allow(POLICY.rules.update),
  validate({ params: usersSchemas.params, body: usersSchemas.update }),
  updateUserHandler,
);
usersRouter.delete(
  '/users/:id',
  requireAuth,
  allow(POLICY.rules.delete),
  validate({ params: usersSchemas.params }),
  deleteUserHandler,
);

export { usersRouter };
