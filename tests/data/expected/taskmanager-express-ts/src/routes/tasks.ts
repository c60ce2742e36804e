import express from 'express';
import type { Router } from 'express';
import { validate } from '../middleware/validate';
import { requireAuth, allow } from '../auth/middleware';
import { POLICY } from '../policies/tasks';
import { tasksSchemas } from '../schemas/tasks';
import {
  listTasksHandler,
  getTaskHandler,
  createTaskHandler,
  updateTaskHandler,
  replaceTaskHandler,
  deleteTaskHandler,
  completeTaskHandler,
} from '../handlers/tasks';

const tasksRouter: Router = express.Router();

// Custom endpoints first: their fixed segments must win over /tasks/:id.
tasksRouter.post(
  '/tasks/:id/complete',
  requireAuth,
  validate({ params: tasksSchemas.endpoints.completeTask.params }),
  completeTaskHandler,
);

// Each route applies the table's access policy (src/policies/tasks.js): no token is
// 401, a role the rule leaves out is 403, and the service limits owner rules to the
// caller's rows in SQL. An operation the policy allows no one has no route.

tasksRouter.get(
  '/tasks',
  requireAuth,
  allow(POLICY.rules.list),
  validate({ query: tasksSchemas.listQuery }),
  listTasksHandler,
);
tasksRouter.post(
  '/tasks',
  requireAuth,
  allow(POLICY.rules.create),
  validate({ body: tasksSchemas.create }),
  createTaskHandler,
);
tasksRouter.get(
  '/tasks/:id',
  requireAuth,
  allow(POLICY.rules.read),
  validate({ params: tasksSchemas.params }),
  getTaskHandler,
);
tasksRouter.put(
  '/tasks/:id',
  requireAuth,
  allow(POLICY.rules.update),
  validate({ params: tasksSchemas.params, body: tasksSchemas.replace }),
  replaceTaskHandler,
);
tasksRouter.patch(
  '/tasks/:id',
  requireAuth,
  allow(POLICY.rules.update),
  validate({ params: tasksSchemas.params, body: tasksSchemas.update }),
  updateTaskHandler,
);
tasksRouter.delete(
  '/tasks/:id',
  requireAuth,
  allow(POLICY.rules.delete),
  validate({ params: tasksSchemas.params }),
  deleteTaskHandler,
);

export { tasksRouter };
