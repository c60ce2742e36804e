'use strict';

const express = require('express');
const { validate } = require('../middleware/validate');
const { requireAuth } = require('../auth/middleware');
const { projectsSchemas } = require('../schemas/projects');
const {
  listProjectsHandler,
  getProjectHandler,
  createProjectHandler,
  updateProjectHandler,
  replaceProjectHandler,
  deleteProjectHandler,
  getProjectStatsHandler,
} = require('../handlers/projects');

const projectsRouter = express.Router();

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

module.exports = { projectsRouter };
