import type { Request, Response } from 'express';
import { sendList, sendCreated, sendNoContent, itemLocation } from '../utils/responses';
import { validatedOf } from '../middleware/validate';
import type { Order } from '../db/sql';
import {
  listTasks,
  getTask,
  createTask,
  updateTask,
  replaceTask,
  deleteTask,
  completeTask,
} from '../services/tasks';

// HTTP <-> service for tasks. Inputs were validated by the route's
// middleware (req.validated); Express 5 forwards rejected promises to the error handler.
const COLLECTION = '/tasks';

function location(req: Request, task: Record<string, unknown>): string {
  return itemLocation(req, COLLECTION, [task.id]);
}

async function listTasksHandler(req: Request, res: Response): Promise<void> {
  const { limit, offset, sort, order, cursor, count, ...filters } = validatedOf(req).query;
  sendList(res, await listTasks({
    filters,
    sort: sort as string | undefined,
    order: order as Order | undefined,
    limit: limit as number | undefined,
    offset: offset as number | undefined,
    cursor: cursor as string | undefined,
    count: count as boolean | undefined,
  }, req.user));
}

async function getTaskHandler(req: Request, res: Response): Promise<void> {
  res.status(200).json(await getTask(validatedOf(req).params, req.user));
}

async function createTaskHandler(req: Request, res: Response): Promise<void> {
  const task = await createTask(validatedOf(req).body, req.user);
  sendCreated(res, location(req, task), task);
}

async function updateTaskHandler(req: Request, res: Response): Promise<void> {
  res.status(200).json(await updateTask(validatedOf(req).params, validatedOf(req).body, req.user));
}

async function replaceTaskHandler(req: Request, res: Response): Promise<void> {
  res.status(200).json(await replaceTask(validatedOf(req).params, validatedOf(req).body, req.user));
}

async function deleteTaskHandler(req: Request, res: Response): Promise<void> {
  await deleteTask(validatedOf(req).params, req.user);
  sendNoContent(res);
}

// POST /tasks/{id}/complete: Mark a task as done and return it.
async function completeTaskHandler(req: Request, res: Response): Promise<void> {
  const { params, query, body } = validatedOf(req);
  res.status(200).json(await completeTask({ params, query, body, user: req.user }));
}

export {
  listTasksHandler,
  getTaskHandler,
  createTaskHandler,
  updateTaskHandler,
  replaceTaskHandler,
  deleteTaskHandler,
  completeTaskHandler,
};
