import type { Request, Response } from 'express';
import { sendList, sendCreated, sendNoContent, itemLocation } from '../utils/responses';
import { validatedOf } from '../middleware/validate';
import type { Order } from '../db/sql';
import {
  listUsers,
  getUser,
  createUser,
  updateUser,
  replaceUser,
  deleteUser,
} from '../services/users';

// HTTP <-> service for users. Inputs were validated by the route's
// middleware (req.validated); Express 5 forwards rejected promises to the error handler.
const COLLECTION = '/users';

function location(req: Request, user: Record<string, unknown>): string {
  return itemLocation(req, COLLECTION, [user.id]);
}

async function listUsersHandler(req: Request, res: Response): Promise<void> {
  const { limit, offset, sort, order, cursor, count, ...filters } = validatedOf(req).query;
  sendList(res, await listUsers({
    filters,
    sort: sort as string | undefined,
    order: order as Order | undefined,
    limit: limit as number | undefined,
    offset: offset as number | undefined,
    cursor: cursor as string | undefined,
    count: count as boolean | undefined,
  }, req.user));
}

async function getUserHandler(req: Request, res: Response): Promise<void> {
  res.status(200).json(await getUser(validatedOf(req).params, req.user));
}

async function createUserHandler(req: Request, res: Response): Promise<void> {
  const user = await createUser(validatedOf(req).body, req.user);
  sendCreated(res, location(req, user), user);
}

async function updateUserHandler(req: Request, res: Response): Promise<void> {
  res.status(200).json(await updateUser(validatedOf(req).params, validatedOf(req).body, req.user));
}

async function replaceUserHandler(req: Request, res: Response): Promise<void> {
  res.status(200).json(await replaceUser(validatedOf(req).params, validatedOf(req).body, req.user));
}

async function deleteUserHandler(req: Request, res: Response): Promise<void> {
  await deleteUser(validatedOf(req).params, req.user);
  sendNoContent(res);
}

export {
  listUsersHandler,
  getUserHandler,
  createUserHandler,
  updateUserHandler,
  replaceUserHandler,
  deleteUserHandler,
};
