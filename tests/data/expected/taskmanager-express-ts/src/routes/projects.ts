import express from 'express';
import type { Router } from 'express';
import { validate } from '../middleware/validate';
import { requireAuth, allow } from '../auth/middleware';
import { POLICY, fillOwner } from '../policies/projects';
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

// Each route applies the table's access policy (src/policies/projects.js): no token is
// 401, a role the rule leaves out is 403, and the service limits owner rules to the
// caller's rows in SQL. An operation the policy allows no one has no route.

projectsRouter.get(
  '/projects',
  requireAuth,
  allow(POLICY.rules.list),
  validate({ query: projectsSchemas.listQuery }),
  listProjectsHandler,
);
projectsRouter.post(
  '/projects',
  requireAuth,
  allow(POLICY.rules.create),
  fillOwner,
  validate({ body: projectsSchemas.create }),
  createProjectHandler,
);
projectsRouter.get(
  '/projects/:id',
  requireAuth,
  allow(POLICY.rules.read),
  validate({ params: projectsSchemas.params }),
  getProjectHandler,
);
projectsRouter.put(
  '/projects/:id',
  requireAuth,
  allow(POLICY.rules.update),
  validate({ params: projectsSchemas.params, body: projectsSchemas.replace }),
  replaceProjectHandler,
);
projectsRouter.patch(
  '/projects/:id',
  requireAuth,
  allow(POLICY.rules.update),
  validate({ params: projectsSchemas.params, body: projectsSchemas.update }),
  updateProjectHandler,
);
projectsRouter.delete(
  '/projects/:id',
  requireAuth,
  allow(POLICY.rules.delete),
  validate({ params: projectsSchemas.params }),
  deleteProjectHandler,
);

export { projectsRouter };
