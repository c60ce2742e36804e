// Sessions: a short-lived access token (a JWT naming its session) and a refresh token
// (256 random bits) that is stored only as its SHA-256 in "auth_sessions". Each
// refresh retires the token it was given and issues the next one in the same family;
// presenting a retired token again means it was copied, so the whole family is revoked.
// Logout revokes one family, a password change every family of the account, and deleting
// the account deletes its rows. An access token works only while its family is live.
import crypto from 'node:crypto';
import { query } from '../db';
import { config } from '../utils/config';
import { UnauthorizedError } from '../utils/errors';
import { signAccessToken } from './tokens';

const TOKEN_BYTES = 32;
const INSERT = 'INSERT INTO "auth_sessions" ("family", "user_id", "token_hash", "expires_at") VALUES ($1, $2, $3, now() + make_interval(secs => $4))';
const PRUNE = 'DELETE FROM "auth_sessions" WHERE "user_id" = $1 AND "expires_at" < now()';
// One statement, so two requests with the same token cannot both rotate it.
const ROTATE = 'UPDATE "auth_sessions" SET "rotated_at" = now() WHERE "token_hash" = $1 AND "rotated_at" IS NULL AND "revoked_at" IS NULL AND "expires_at" > now() RETURNING "family", "user_id"';
const REVOKE_REUSED = 'UPDATE "auth_sessions" SET "revoked_at" = now() WHERE "revoked_at" IS NULL AND "family" = (SELECT "family" FROM "auth_sessions" WHERE "token_hash" = $1 AND "rotated_at" IS NOT NULL)';
const REVOKE_FAMILY_OF = 'UPDATE "auth_sessions" SET "revoked_at" = now() WHERE "revoked_at" IS NULL AND "family" = (SELECT "family" FROM "auth_sessions" WHERE "token_hash" = $1)';
const REVOKE_FAMILY = 'UPDATE "auth_sessions" SET "revoked_at" = now() WHERE "revoked_at" IS NULL AND "family" = $1';
const REVOKE_ALL = 'UPDATE "auth_sessions" SET "revoked_at" = now() WHERE "revoked_at" IS NULL AND "user_id" = $1';

// What login, refresh and a password change answer.
export interface Session {
  token: string;
  tokenType: 'Bearer';
  expiresIn: string;
  refreshToken: string;
  refreshExpiresIn: string;
}

function hashToken(token: string): Buffer {
  return crypto.createHash('sha256').update(token, 'utf8').digest();
}

// A new session for an account (a new family unless one is given).
async function issueSession(account: { id: unknown },
  family: string = crypto.randomUUID()): Promise<Session> {
  const refreshToken = crypto.randomBytes(TOKEN_BYTES).toString('base64url');
  await query(PRUNE, [account.id]);
  await query(INSERT, [family, account.id, hashToken(refreshToken), config.auth.refreshTtlSeconds]);
  return {
    token: signAccessToken(account, family),
    tokenType: 'Bearer',
    expiresIn: config.auth.jwtExpiresIn,
    refreshToken,
    refreshExpiresIn: config.auth.refreshTtl,
  };
}

// Retires a refresh token; { family, userId } of its session. A token that was already
// retired revokes its family; an unknown, expired or revoked one is refused.
async function rotate(refreshToken: string): Promise<{ family: string; userId: unknown }> {
  const hash = hashToken(refreshToken);
  const result = await query<{ family: string; user_id: unknown }>(ROTATE, [hash]);
  const row = result.rows[0];
  if (row === undefined) {
    await query(REVOKE_REUSED, [hash]);
    throw new UnauthorizedError('The refresh token is not valid: sign in again');
  }
  return { family: row.family, userId: row.user_id };
}

async function revokeToken(refreshToken: string): Promise<void> {
  await query(REVOKE_FAMILY_OF, [hashToken(refreshToken)]);
}

async function revokeFamily(family: string): Promise<void> {
  await query(REVOKE_FAMILY, [family]);
}

async function revokeAll(userId: unknown): Promise<void> {
  await query(REVOKE_ALL, [userId]);
}

export { issueSession, rotate, revokeToken, revokeFamily, revokeAll, hashToken };
