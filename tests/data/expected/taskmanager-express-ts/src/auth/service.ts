import { query } from '../db';
import { buildInsert } from '../db/sql';
import type { Row } from '../db/sql';
import { ForbiddenError, UnauthorizedError, ValidationError } from '../utils/errors';
import { hashPassword, verifyPassword, verifyDummy } from './password';
import { issueSession, rotate, revokeToken, revokeFamily, revokeAll } from './sessions';
import type { Session } from './sessions';

// Accounts are rows of "users". The row as the API shows it never holds the
// password hash; register may write the hash and the role, which clients never send.
const ACCOUNTS = Object.freeze({
  name: '"users"',
  select: '"id" AS "id", "email" AS "email", "display_name" AS "display_name", "role" AS "role", "created_at" AS "created_at", "updated_at" AS "updated_at"',
  keyProps: ['id'],
  keyCondition: '"id" = $1',
  filterable: {
    id: '"id"',
    email: '"email"',
    display_name: '"display_name"',
    role: '"role"',
    created_at: '"created_at"',
    updated_at: '"updated_at"',
  },
  writable: {
    email: '"email"',
    display_name: '"display_name"',
    role: '"role"',
    $password: '"password_hash"',
    $role: '"role"',
  },
  updatable: { email: '"email"', display_name: '"display_name"', role: '"role"' },
  json: [],
  defaultOrder: ['"created_at"', '"id"'],
  keyOrder: ['"id"'],
  updatedAt: '"updated_at"',
});
const SELECT_ROW = 'SELECT "id" AS "id", "email" AS "email", "display_name" AS "display_name", "role" AS "role", "created_at" AS "created_at", "updated_at" AS "updated_at" FROM "users" WHERE "id" = $1';
// An enabled account and, for an access token, a session of it that is still live.
const SELECT_ROLE = 'SELECT "id" AS "id", "role" AS "role" FROM "users" WHERE "id"::text = $1 AND TRUE';
const SELECT_SESSION = 'SELECT "users"."id" AS "id", "role" AS "role" FROM "users" WHERE "id"::text = $1 AND TRUE AND EXISTS (SELECT 1 FROM "auth_sessions" AS s WHERE s."family" = $2::uuid AND s."user_id" = "users"."id" AND s."revoked_at" IS NULL AND s."expires_at" > now())';
const SELECT_LOGIN = 'SELECT "id" AS "id", "role" AS "role", "password_hash" AS "hash", TRUE AS "enabled" FROM "users" WHERE "email" = $1';
const SELECT_HASH = 'SELECT "password_hash" AS "hash" FROM "users" WHERE "id" = $1';
const UPDATE_HASH = 'UPDATE "users" SET "password_hash" = $2 WHERE "id" = $1';
const PASSWORD_MAX_BYTES = 1024;
const FIELD_NAMES = Object.freeze({
  id: 'id',
  email: 'email',
  users_email_key: 'email',
  display_name: 'display_name',
  role: 'role',
  users_role_check: 'role',
  created_at: 'created_at',
  updated_at: 'updated_at',
});
const LOGIN = 'email';
const PASSWORD = '$password';
const ROLE = '$role';

// Emails compare case-insensitively: store them lower-cased.
function normalizeLogin(login: unknown): string {
  return String(login).trim().toLowerCase();
}

// Passwords are hashed whole, never cut. The schema caps characters; this caps what
// scrypt reads, in bytes (4 per allowed character: no schema-valid password fails it).
function checkPasswordBytes(password: string, field: string): void {
  if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES) {
    throw new ValidationError([{ field, message: `must be at most ${PASSWORD_MAX_BYTES} bytes (UTF-8)` }]);
  }
}

interface Credentials {
  password: string;
  [field: string]: unknown;
}

// An account as the auth middleware and the sessions see it.
type Account = { id: unknown; role: unknown };

// A new account with the default role; a taken login answers 409 through the error handler.
async function registerAccount({ password, ...fields }: Credentials): Promise<Row> {
  checkPasswordBytes(password, 'password');
  const data: Row = { ...fields, [LOGIN]: normalizeLogin(fields[LOGIN]) };
  data[PASSWORD] = await hashPassword(password);
  data[ROLE] = 'member';
  const statement = buildInsert(ACCOUNTS, data);
  const result = await query(statement.text, statement.values, FIELD_NAMES);
  const account = result.rows[0];
  if (account === undefined) {
    throw new Error('INSERT ... RETURNING returned no row');
  }
  return account;
}

// A session for valid credentials. An unknown login costs one password check too (a
// dummy one) and answers with the same error as a wrong password, so neither the answer
// nor its timing tells which accounts exist. A disabled account is refused the same way.
async function login({ password, ...fields }: Credentials): Promise<Session> {
  checkPasswordBytes(password, 'password');
  const result = await query<Account & { hash: string | null; enabled: boolean }>(SELECT_LOGIN,
    [normalizeLogin(fields[LOGIN])]);
  const account = result.rows[0];
  const valid = account !== undefined && account.hash !== null
    ? await verifyPassword(password, account.hash)
    : await verifyDummy(password);
  if (!valid || account === undefined || !account.enabled) {
    throw new UnauthorizedError('Wrong login or password');
  }
  return issueSession(account);
}

// { id, role } of an enabled account with this key (and, given a session id, a live
// session of it), or null.
async function findAccount(id: unknown, session?: string): Promise<Account | null> {
  const result = session === undefined
    ? await query<Account>(SELECT_ROLE, [String(id)])
    : await query<Account>(SELECT_SESSION, [String(id), session]);
  return result.rows[0] ?? null;
}

// A new pair for a refresh token; the old token stops working.
async function refresh({ refreshToken }: { refreshToken: string }): Promise<Session> {
  const { family, userId } = await rotate(refreshToken);
  const account = await findAccount(userId);
  if (account === null) {
    await revokeFamily(family);
    throw new UnauthorizedError('The account of this session is disabled or gone');
  }
  return issueSession(account, family);
}

async function logout({ refreshToken }: { refreshToken: string }): Promise<void> {
  await revokeToken(refreshToken);
}

// Checks the current password, stores the new one, revokes every session of the
// account (other devices are signed out) and returns a new session for this one.
async function changePassword(user: { id: unknown },
  { currentPassword, newPassword }: { currentPassword: string; newPassword: string }):
  Promise<Session> {
  checkPasswordBytes(currentPassword, 'currentPassword');
  checkPasswordBytes(newPassword, 'newPassword');
  const result = await query<{ hash: string | null }>(SELECT_HASH, [user.id]);
  const stored = result.rows[0]?.hash ?? null;
  const valid = stored !== null && (await verifyPassword(currentPassword, stored));
  if (!valid) {
    throw new ForbiddenError('The current password is wrong');
  }
  await query(UPDATE_HASH, [user.id, await hashPassword(newPassword)]);
  await revokeAll(user.id);
  return issueSession(user);
}

async function getAccount(id: unknown): Promise<Row> {
  const result = await query(SELECT_ROW, [id]);
  const account = result.rows[0];
  if (account === undefined) {
    throw new UnauthorizedError('The account of this token no longer exists');
  }
  return account;
}

export {
  registerAccount, login, refresh, logout, changePassword, findAccount, getAccount,
};
