import type { Request, Response } from 'express';
import { sendCreated } from '../utils/responses';
import { validatedOf } from '../middleware/validate';
import type { RequestUser } from '../middleware/validate';
import { UnauthorizedError } from '../utils/errors';
import * as service from './service';

// The schemas (auth/schemas) checked every body before a handler runs.
type Credentials = Parameters<typeof service.registerAccount>[0];
type RefreshBody = Parameters<typeof service.refresh>[0];
type PasswordChange = Parameters<typeof service.changePassword>[1];

function userOf(req: Request): RequestUser {
  if (req.user === undefined) {
    throw new UnauthorizedError();
  }
  return req.user;
}

async function registerHandler(req: Request, res: Response): Promise<void> {
  const account = await service.registerAccount(validatedOf(req).body as Credentials);
  sendCreated(res, `${req.baseUrl}/auth/me`, account);
}

async function loginHandler(req: Request, res: Response): Promise<void> {
  res.status(200).json(await service.login(validatedOf(req).body as Credentials));
}

async function refreshHandler(req: Request, res: Response): Promise<void> {
  res.status(200).json(await service.refresh(validatedOf(req).body as RefreshBody));
}

async function logoutHandler(req: Request, res: Response): Promise<void> {
  await service.logout(validatedOf(req).body as RefreshBody);
  res.status(204).end();
}

async function passwordHandler(req: Request, res: Response): Promise<void> {
  res.status(200).json(await service.changePassword(userOf(req),
    validatedOf(req).body as PasswordChange));
}

async function meHandler(req: Request, res: Response): Promise<void> {
  res.status(200).json(await service.getAccount(userOf(req).id));
}

export {
  registerHandler, loginHandler, refreshHandler, logoutHandler, passwordHandler, meHandler,
};
