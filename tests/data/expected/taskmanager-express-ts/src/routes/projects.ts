import express from 'express';
import type { Router } from 'express';
import { validate } from '../middleware/validate';
import { requireAuth } from '../auth/middleware';
import { projectsSchemas } from '../schemas/projects';
import {
  listProjectsHandler,
  getProjectHandler,
  createProjectHandler,
  updateProjectHandler,
  replaceProjectHandler,
  deleteProjectHandler,
  getProjectStatsHandler,
} from '../handlers/projects';

const projectsRouter: Router = express.Router();

// Custom endpoints first: their fixed segments must win over /projects/:id.
projectsRouter.get(
  '/projects/:id/stats',
  requireAuth,
  validate({ params: projectsSchemas.endpoints.getProjectStats.params }),
  getProjectStatsHandler,
);

projectsRouter.get(
  '/projects',
  validate({ query: projectsSchemas.listQuery }),
  listProjectsHandler,
);
projectsRouter.post(
  '/projects',
  requireAuth,
  validate({ body: projectsSchemas.create }),
  createProjectHandler,
);
projectsRouter.get(
  '/projects/:id',
  validate({ params: projectsSchemas.params }),
  getProjectHandler,
);
projectsRouter.put(
  '/projects/:id',
  requireAuth,
  validate({ params: projectsSchemas.params, body: projectsSchemas.replace }),
  replaceProjectHandler,
);
projectsRouter.patch(
  '/projects/:id',
  requireAuth,
  validate({ params: projectsSchemas.params, body: projectsSchemas.update }),
  updateProjectHandler,
);
projectsRouter.delete(
  '/projects/:id',
  requireAuth,
  validate({ params: projectsSchemas.params }),
  deleteProjectHandler,
);

export { projectsRouter };
