import { query } from '../db';
import { buildInsert } from '../db/sql';
import type { Row } from '../db/sql';
import { config } from '../utils/config';
import { UnauthorizedError } from '../utils/errors';
import { hashPassword, verifyPassword } from './password';
import { signAccessToken } from './tokens';

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
const SELECT_ROLE = 'SELECT "id" AS "id", "role" AS "role" FROM "users" WHERE "id"::text = $1';
const SELECT_LOGIN = 'SELECT "id" AS "id", "password_hash" AS "hash" FROM "users" WHERE "email" = $1';
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

// A new account with the default role; a taken login answers 409 through the error handler.
interface Credentials {
  password: string;
  [field: string]: unknown;
}

async function registerAccount({ password, ...fields }: Credentials): Promise<Row> {
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

// An access token for valid credentials. The same error for an unknown login
// and a wrong password, so the answer does not reveal which accounts exist.
async function login({ password, ...fields }: Credentials):
  Promise<{ token: string; tokenType: string; expiresIn: string }> {
  const result = await query<{ id: unknown; hash: string | null }>(SELECT_LOGIN,
    [normalizeLogin(fields[LOGIN])]);
  const account = result.rows[0];
  const valid = account !== undefined && account.hash !== null
    && (await verifyPassword(password, account.hash));
  if (!valid || account === undefined) {
    throw new UnauthorizedError('Wrong login or password');
  }
  return { token: signAccessToken(account), tokenType: 'Bearer', expiresIn: config.auth.jwtExpiresIn };
}

// { id, role } of the account with this key, or null when it no longer exists.
async function findAccount(id: unknown): Promise<{ id: unknown; role: unknown } | null> {
  const result = await query<{ id: unknown; role: unknown }>(SELECT_ROLE, [String(id)]);
  return result.rows[0] ?? null;
}

async function getAccount(id: unknown): Promise<Row> {
  const result = await query(SELECT_ROW, [id]);
  const account = result.rows[0];
  if (account === undefined) {
    throw new UnauthorizedError('The account of this token no longer exists');
  }
  return account;
}

export { registerAccount, login, findAccount, getAccount };
