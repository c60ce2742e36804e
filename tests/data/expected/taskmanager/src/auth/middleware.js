'use strict';

const { ForbiddenError, UnauthorizedError } = require('../utils/errors');
const { verifyAccessToken } = require('./tokens');
const { findAccount } = require('./service');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function bearer(req) {
  const header = req.get('authorization') ?? '';
  const [scheme, token] = header.split(' ');
  return scheme?.toLowerCase() === 'bearer' && token ? token : null;
}

// Requires `Authorization: Bearer <token>` of an enabled account whose session is live
// (both are read on every request, so the token of a deleted or disabled account, or of
// a session that logged out, is refused at once); sets req.user = { id, role, session }.
async function requireAuth(req, res, next) {
  const token = bearer(req);
  if (token === null) {
    throw new UnauthorizedError('Send a bearer token: Authorization: Bearer <token>');
  }
  const claims = verifyAccessToken(token);
  if (typeof claims.sid !== 'string' || !UUID.test(claims.sid)) {
    throw new UnauthorizedError('The token is not valid');
  }
  const account = await findAccount(claims.sub, claims.sid);
  if (account === null) {
    throw new UnauthorizedError('The session or the account of this token is no longer valid');
  }
  req.user = { id: account.id, role: account.role, session: claims.sid };
  next();
}

// Lets through an account whose role a rule lists, or (for an `owner` rule) any signed-in
// account: the service then limits it to its own rows in SQL.
function allow(rule) {
  return (req, res, next) => {
    if (rule.grant === 'authenticated' || rule.roles.includes(req.user.role)
      || rule.grant === 'owner') {
      next();
      return;
    }
    throw new ForbiddenError('Your role may not do this');
  };
}

module.exports = { requireAuth, allow };
