import type { Request, Response } from 'express';
import { sendList, sendCreated, sendNoContent, itemLocation } from '../utils/responses';
import { validatedOf } from '../middleware/validate';
import type { Order } from '../db/sql';
import {
  listProjects,
  getProject,
  createProject,
  updateProject,
  replaceProject,
  deleteProject,
  getProjectStats,
} from '../services/projects';

// HTTP <-> service for projects. Inputs were validated by the route's
// middleware (req.validated); Express 5 forwards rejected promises to the error handler.
const COLLECTION = '/projects';

function location(req: Request, project: Record<string, unknown>): string {
  return itemLocation(req, COLLECTION, [project.id]);
}

async function listProjectsHandler(req: Request, res: Response): Promise<void> {
  const { limit, offset, sort, order, cursor, count, ...filters } = validatedOf(req).query;
  sendList(res, await listProjects({
    filters,
    sort: sort as string | undefined,
    order: order as Order | undefined,
    limit: limit as number | undefined,
    offset: offset as number | undefined,
    cursor: cursor as string | undefined,
    count: count as boolean | undefined,
  }, req.user));
}

async function getProjectHandler(req: Request, res: Response): Promise<void> {
  res.status(200).json(await getProject(validatedOf(req).params, req.user));
}

async function createProjectHandler(req: Request, res: Response): Promise<void> {
  const project = await createProject(validatedOf(req).body, req.user);
  sendCreated(res, location(req, project), project);
}

async function updateProjectHandler(req: Request, res: Response): Promise<void> {
  res.status(200).json(await updateProject(validatedOf(req).params, validatedOf(req).body, req.user));
}

async function replaceProjectHandler(req: Request, res: Response): Promise<void> {
  res.status(200).json(await replaceProject(validatedOf(req).params, validatedOf(req).body, req.user));
}

async function deleteProjectHandler(req: Request, res: Response): Promise<void> {
  await deleteProject(validatedOf(req).params, req.user);
  sendNoContent(res);
}

// GET /projects/{id}/stats: Count the project's tasks by status.
async function getProjectStatsHandler(req: Request, res: Response): Promise<void> {
  const { params, query, body } = validatedOf(req);
  res.status(200).json(await getProjectStats({ params, query, body, user: req.user }));
}

export {
  listProjectsHandler,
  getProjectHandler,
  createProjectHandler,
  updateProjectHandler,
  replaceProjectHandler,
  deleteProjectHandler,
  getProjectStatsHandler,
};
