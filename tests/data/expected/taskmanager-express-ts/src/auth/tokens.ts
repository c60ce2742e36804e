import jwt from 'jsonwebtoken';
import type { JwtPayload, SignOptions } from 'jsonwebtoken';
import { config } from '../utils/config';
import { UnauthorizedError } from '../utils/errors';

const ALGORITHM = 'HS256';

// A signed access token: { sub: the account's key, sid: its session }. The role is not in
// the token: the auth middleware reads the account's row, and checks that the session is
// still live, on every request.
function signAccessToken(account: { id: unknown }, session: string): string {
  return jwt.sign({ sid: session }, config.auth.jwtSecret ?? '', {
    algorithm: ALGORITHM,
    subject: String(account.id),
    // config checked it: <integer><s|m|h|d>
    expiresIn: config.auth.jwtExpiresIn as SignOptions['expiresIn'],
  });
}

// The token's claims; UnauthorizedError when it is forged, malformed or expired.
function verifyAccessToken(token: string): JwtPayload {
  let claims: string | JwtPayload;
  try {
    claims = jwt.verify(token, config.auth.jwtSecret ?? '', { algorithms: [ALGORITHM] });
  } catch (err) {
    const reason = err instanceof jwt.TokenExpiredError ? 'The token has expired' : 'The token is not valid';
    throw new UnauthorizedError(reason);
  }
  if (typeof claims === 'string') {
    throw new UnauthorizedError('The token is not valid');
  }
  return claims;
}

export { signAccessToken, verifyAccessToken };
