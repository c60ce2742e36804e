'use strict';

const jwt = require('jsonwebtoken');
const { config } = require('../utils/config');
const { UnauthorizedError } = require('../utils/errors');

const ALGORITHM = 'HS256';

// A signed access token for an account: { sub: its key }. The role is not in the token:
// the auth middleware reads it from the account's row on every request.
function signAccessToken(account) {
  return jwt.sign({}, config.auth.jwtSecret, {
    algorithm: ALGORITHM,
    subject: String(account.id),
    expiresIn: config.auth.jwtExpiresIn,
  });
}

// The token's claims; UnauthorizedError when it is forged, malformed or expired.
function verifyAccessToken(token) {
  try {
    return jwt.verify(token, config.auth.jwtSecret, { algorithms: [ALGORITHM] });
  } catch (err) {
    const reason = err instanceof jwt.TokenExpiredError ? 'The token has expired' : 'The token is not valid';
    throw new UnauthorizedError(reason);
  }
}

module.exports = { signAccessToken, verifyAccessToken };
