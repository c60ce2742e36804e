'use strict';

const jwt = require('jsonwebtoken');
const { config } = require('../utils/config');
const { UnauthorizedError } = require('../utils/errors');

const ALGORITHM = 'HS256';

// A signed access token: { sub: the account's key, sid: its session }. The role is not in
// the token: the auth middleware reads the account's row, and checks that the session is
// still live, on every request.
function signAccessToken(account, session) {
  return jwt.sign({ sid: session }, config.auth.jwtSecret, {
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
