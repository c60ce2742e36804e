import { NotFoundError, ForbiddenError, NotImplementedError } from '../utils/errors';
import { ownerScope, checkWrite } from '../policies/projects';
import type { Operation } from '../policies/projects';
import type { RequestUser } from '../middleware/validate';
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

// One page (at most MAX_LIMIT rows) and the total count of matching projects
// (only the caller's own when the policy limits it to them).
async function listProjects({ filters = {}, sort, order, limit = 20, offset = 0, cursor, count = true }: ListRequest = {}, caller: RequestUser | undefined = undefined): Promise<Page<ProjectRow>> {
  const pageLimit = Math.min(limit, MAX_LIMIT);
  const owner = ownerScope('list', caller);
  const { rows, total, nextCursor } = await findProjects({ filters, sort, order, limit: pageLimit, offset, cursor, count, owner });
  return { rows, total, limit: pageLimit, offset, nextCursor };
}

// 404 for a row the caller may not read (its existence is not revealed).
async function getProject(key: Row, caller: RequestUser | undefined = undefined): Promise<ProjectRow> {
  const project = await findProjectByKey(key, ownerScope('read', caller));
  if (project === null) {
    throw notFound();
  }
  return project;
}

// The row `operation` would change: 404 when the caller may not read it, 403 when it may
// read but not change it.
async function writable(operation: Operation, key: Row,
  caller: RequestUser | undefined): Promise<ProjectRow> {
  const readOwner = ownerScope('read', caller);
  const current = await findProjectByKey(key, readOwner);
  if (current === null) {
    throw notFound();
  }
  const owner = ownerScope(operation, caller);
  if (owner !== null && (readOwner === null || String(readOwner) !== String(owner))
    && (await findProjectByKey(key, owner)) === null) {
    throw new ForbiddenError('Only its owner may change this project');
  }
  return current;
}

async function createProject(data: Row, caller: RequestUser | undefined = undefined): Promise<ProjectRow> {
  await checkWrite(data, caller, undefined);
  return insertProject(data);
}

// The write repeats the owner check in its own statement: a row that changes hands
// between the check and the write is not written (404).
async function updateProject(key: Row, changes: Row, caller: RequestUser | undefined = undefined): Promise<ProjectRow> {
  await checkWrite(changes, caller, await writable('update', key, caller));
  const project = await updateProjectByKey(key, changes, ownerScope('update', caller));
  if (project === null) {
    throw notFound();
  }
  return project;
}

async function replaceProject(key: Row, data: Row, caller: RequestUser | undefined = undefined): Promise<ProjectRow> {
  await checkWrite(data, caller, await writable('update', key, caller));
  const project = await replaceProjectByKey(key, data, ownerScope('update', caller));
  if (project === null) {
    throw notFound();
  }
  return project;
}

async function deleteProject(key: Row, caller: RequestUser | undefined = undefined): Promise<void> {
  await writable('delete', key, caller);
  const deleted = await deleteProjectByKey(key, ownerScope('delete', caller));
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
