import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ForbiddenError, UnauthorizedError } from '../utils/errors';
import { verifyAccessToken } from './tokens';
import { findAccount } from './service';

function bearer(req: Request): string | null {
  const header = req.get('authorization') ?? '';
  const [scheme, token] = header.split(' ');
  return scheme?.toLowerCase() === 'bearer' && token ? token : null;
}

// Requires `Authorization: Bearer <token>` of an account that still exists (its row is
// read on every request, so a deleted account's token is refused at once); sets
// req.user = { id, role }.
async function requireAuth(req: Request, _res: Response, next: NextFunction): Promise<void> {
  const token = bearer(req);
  if (token === null) {
    throw new UnauthorizedError('Send a bearer token: Authorization: Bearer <token>');
  }
  const claims = verifyAccessToken(token);
  const account = await findAccount(claims.sub);
  if (account === null) {
    throw new UnauthorizedError('The account of this token no longer exists');
  }
  req.user = { id: account.id, role: account.role };
  next();
}

// Lets through an account whose role a rule lists, or (for an `owner` rule) any signed-in
// account: the service then limits it to its own rows in SQL.
interface Rule {
  grant: string;
  roles: readonly unknown[];
}

function allow(rule: Rule): RequestHandler {
  return (req, _res, next) => {
    if (rule.grant === 'authenticated' || rule.roles.includes(req.user?.role)
      || rule.grant === 'owner') {
      next();
      return;
    }
    throw new ForbiddenError('Your role may not do this');
  };
}

export { requireAuth, allow };
