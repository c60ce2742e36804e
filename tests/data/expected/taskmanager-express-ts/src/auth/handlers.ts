import type { Request, Response } from 'express';
import { sendCreated } from '../utils/responses';
import { validatedOf } from '../middleware/validate';
import { UnauthorizedError } from '../utils/errors';
import { registerAccount, login, getAccount } from './service';

// The schemas (auth/schemas) require a password string in both bodies.
type Credentials = Parameters<typeof registerAccount>[0];

async function registerHandler(req: Request, res: Response): Promise<void> {
  const account = await registerAccount(validatedOf(req).body as Credentials);
  sendCreated(res, `${req.baseUrl}/auth/me`, account);
}

async function loginHandler(req: Request, res: Response): Promise<void> {
  res.status(200).json(await login(validatedOf(req).body as Credentials));
}

async function meHandler(req: Request, res: Response): Promise<void> {
  if (req.user === undefined) {
    throw new UnauthorizedError();
  }
  res.status(200).json(await getAccount(req.user.id));
}

export { registerHandler, loginHandler, meHandler };
