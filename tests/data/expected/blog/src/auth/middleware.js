'use strict';

const { ForbiddenError, UnauthorizedError } = require('../utils/errors');
const { verifyAccessToken } = require('./tokens');
const { findAccount } = require('./service');

function bearer(req) {
  const header = req.get('authorization') ?? '';
  const [scheme, token] = header.split(' ');
  return scheme?.toLowerCase() === 'bearer' && token ? token : null;
}

// Requires `Authorization: Bearer <token>` of an account that still exists (its row is
// read on every request, so a deleted account's token is refused at once); sets
// req.user = { id, role }.
async function requireAuth(req, res, next) {
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
