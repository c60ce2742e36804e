'use strict';

const { NotFoundError, NotImplementedError } = require('../utils/errors');
const {
  findProjects,
  findProjectByKey,
  insertProject,
  updateProjectByKey,
  replaceProjectByKey,
  deleteProjectByKey,
} = require('../models/projects');

// Business rules for projects; handlers call these, never the model directly.
const MAX_LIMIT = 100;

function notFound() {
  return new NotFoundError('Project not found');
}

// One page (at most MAX_LIMIT rows) and the total count of matching projects.
async function listProjects({ filters = {}, sort, order, limit = 20, offset = 0, cursor, count = true } = {}) {
  const pageLimit = Math.min(limit, MAX_LIMIT);
  const { rows, total, nextCursor } = await findProjects({ filters, sort, order, limit: pageLimit, offset, cursor, count });
  return { rows, total, limit: pageLimit, offset, nextCursor };
}

async function getProject(key) {
  const project = await findProjectByKey(key);
  if (project === null) {
    throw notFound();
  }
  return project;
}

async function createProject(data) {
  return insertProject(data);
}

async function updateProject(key, changes) {
  const project = await updateProjectByKey(key, changes);
  if (project === null) {
    throw notFound();
  }
  return project;
}

async function replaceProject(key, data) {
  const project = await replaceProjectByKey(key, data);
  if (project === null) {
    throw notFound();
  }
  return project;
}

async function deleteProject(key) {
  const deleted = await deleteProjectByKey(key);
  if (!deleted) {
    throw notFound();
  }
}

/**
 * GET /projects/{id}/stats: Count the project's tasks by status.
 * Declared in the spec without logic: write it here. `request` holds the
 * validated { params, query, body } and `user` (the signed-in account, if any).
 */
async function getProjectStats(_request) {
  throw new NotImplementedError('GET /projects/{id}/stats');
}

module.exports = {
  listProjects,
  getProject,
  createProject,
  updateProject,
  replaceProject,
  deleteProject,
  getProjectStats,
};
