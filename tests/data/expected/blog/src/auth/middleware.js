'use strict';

const { UnauthorizedError } = require('../utils/errors');
const { verifyAccessToken } = require('./tokens');

// Requires `Authorization: Bearer <token>`; sets req.user = { id, email }.
function requireAuth(req, res, next) {
  const header = req.get('authorization') ?? '';
  const [scheme, token] = header.split(' ');
  if (scheme?.toLowerCase() !== 'bearer' || !token) {
    next(new UnauthorizedError('Send a bearer token: Authorization: Bearer <token>'));
    return;
  }
  const claims = verifyAccessToken(token);
  req.user = { id: claims.sub, email: claims.email };
  next();
}

module.exports = { requireAuth };
