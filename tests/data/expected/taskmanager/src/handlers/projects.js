'use strict';

const { sendList, sendCreated, sendNoContent, itemLocation } = require('../utils/responses');
const {
  listProjects,
  getProject,
  createProject,
  updateProject,
  replaceProject,
  deleteProject,
  getProjectStats,
} = require('../services/projects');

// HTTP <-> service for projects. Inputs were validated by the route's
// middleware (req.validated); Express 5 forwards rejected promises to the error handler.
const COLLECTION = '/projects';

function location(req, project) {
  return itemLocation(req, COLLECTION, [project.id]);
}

async function listProjectsHandler(req, res) {
  const { limit, offset, sort, order, cursor, count, ...filters } = req.validated.query;
  sendList(res, await listProjects({ filters, sort, order, limit, offset, cursor, count }, req.user));
}

async function getProjectHandler(req, res) {
  res.status(200).json(await getProject(req.validated.params, req.user));
}

async function createProjectHandler(req, res) {
  const project = await createProject(req.validated.body, req.user);
  sendCreated(res, location(req, project), project);
}

async function updateProjectHandler(req, res) {
  res.status(200).json(await updateProject(req.validated.params, req.validated.body, req.user));
}

async function replaceProjectHandler(req, res) {
  res.status(200).json(await replaceProject(req.validated.params, req.validated.body, req.user));
}

async function deleteProjectHandler(req, res) {
  await deleteProject(req.validated.params, req.user);
  sendNoContent(res);
}

// GET /projects/{id}/stats: Count the project's tasks by status.
async function getProjectStatsHandler(req, res) {
  const { params, query, body } = req.validated;
  res.status(200).json(await getProjectStats({ params, query, body, user: req.user }));
}

module.exports = {
  listProjectsHandler,
  getProjectHandler,
  createProjectHandler,
  updateProjectHandler,
  replaceProjectHandler,
  deleteProjectHandler,
  getProjectStatsHandler,
};
