import express from 'express';
import type { Router } from 'express';
import { validate } from '../middleware/validate';
import { requireAuth } from '../auth/middleware';
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

tasksRouter.get(
  '/tasks',
  validate({ query: tasksSchemas.listQuery }),
  listTasksHandler,
);
tasksRouter.post(
  '/tasks',
  requireAuth,
  validate({ body: tasksSchemas.create }),
  createTaskHandler,
);
tasksRouter.get(
  '/tasks/:id',
  validate({ params: tasksSchemas.params }),
  getTaskHandler,
);
tasksRouter.put(
  '/tasks/:id',
  requireAuth,
  validate({ params: tasksSchemas.params, body: tasksSchemas.replace }),
  replaceTaskHandler,
);
tasksRouter.patch(
  '/tasks/:id',
  requireAuth,
  validate({ params: tasksSchemas.params, body: tasksSchemas.update }),
  updateTaskHandler,
);
tasksRouter.delete(
  '/tasks/:id',
  requireAuth,
  validate({ params: tasksSchemas.params }),
  deleteTaskHandler,
);

export { tasksRouter };
