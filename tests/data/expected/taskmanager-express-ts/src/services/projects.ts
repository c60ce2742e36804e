import { NotFoundError, NotImplementedError } from '../utils/errors';
import {
  findProjects,
  findProjectByKey,
  insertProject,
  updateProjectByKey,
  replaceProjectByKey,
  deleteProjectByKey,
} from '../models/projects';
import type { ProjectRow } from '../models/projects';
import type { Order, Row } from '../db/sql';
import type { Page } from '../utils/responses';
import type { EndpointRequest } from '../utils/validation';

// Business rules for projects; handlers call these, never the model directly.
const MAX_LIMIT = 100;

export interface ListRequest {
  filters?: Row;
  sort?: string | undefined;
  order?: Order | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
  cursor?: string | undefined;
  count?: boolean | undefined;
}

function notFound(): NotFoundError {
  return new NotFoundError('Project not found');
}

// One page (at most MAX_LIMIT rows) and the total count of matching projects.
async function listProjects({ filters = {}, sort, order, limit = 20, offset = 0, cursor, count = true }: ListRequest = {}): Promise<Page<ProjectRow>> {
  const pageLimit = Math.min(limit, MAX_LIMIT);
  const { rows, total, nextCursor } = await findProjects({ filters, sort, order, limit: pageLimit, offset, cursor, count });
  return { rows, total, limit: pageLimit, offset, nextCursor };
}

async function getProject(key: Row): Promise<ProjectRow> {
  const project = await findProjectByKey(key);
  if (project === null) {
    throw notFound();
  }
  return project;
}

async function createProject(data: Row): Promise<ProjectRow> {
  return insertProject(data);
}

async function updateProject(key: Row, changes: Row): Promise<ProjectRow> {
  const project = await updateProjectByKey(key, changes);
  if (project === null) {
    throw notFound();
  }
  return project;
}

async function replaceProject(key: Row, data: Row): Promise<ProjectRow> {
  const project = await replaceProjectByKey(key, data);
  if (project === null) {
    throw notFound();
  }
  return project;
}

async function deleteProject(key: Row): Promise<void> {
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
async function getProjectStats(_request: EndpointRequest): Promise<unknown> {
  throw new NotImplementedError('GET /projects/{id}/stats');
}

export {
  listProjects,
  getProject,
  createProject,
  updateProject,
  replaceProject,
  deleteProject,
  getProjectStats,
};
