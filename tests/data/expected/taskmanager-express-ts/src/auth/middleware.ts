import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ForbiddenError, UnauthorizedError } from '../utils/errors';
import { verifyAccessToken } from './tokens';
import { findAccount } from './service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function bearer(req: Request): string | null {
  const header = req.get('authorization') ?? '';
  const [scheme, token] = header.split(' ');
  return scheme?.toLowerCase() === 'bearer' && token ? token : null;
}

// Requires `Authorization: Bearer <token>` of an enabled account whose session is live
// (both are read on every request, so the token of a deleted or disabled account, or of
// a session that logged out, is refused at once); sets req.user = { id, role, session }.
async function requireAuth(req: Request, _res: Response, next: NextFunction): Promise<void> {
  const token = bearer(req);
  if (token === null) {
    throw new UnauthorizedError('Send a bearer token: Authorization: Bearer <token>');
  }
  const claims = verifyAccessToken(token);
  const session: unknown = claims.sid;
  if (typeof session !== 'string' || !UUID.test(session)) {
    throw new UnauthorizedError('The token is not valid');
  }
  const account = await findAccount(claims.sub, session);
  if (account === null) {
    throw new UnauthorizedError('The session or the account of this token is no longer valid');
  }
  req.user = { id: account.id, role: account.role, session };
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
