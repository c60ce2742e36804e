import { query, findPage } from '../db';
import type { FindOptions, FoundPage } from '../db';
import { keyValues, buildInsert, buildUpdate } from '../db/sql';
import type { Row } from '../db/sql';

// One user as the API returns it (from the same column model as its JSON Schema).
export type UserRow = {
  id: string;
  email: string;
  display_name: string;
  role: "member" | "admin";
  created_at: string;
  updated_at: string;
};

// Every identifier the "users" queries may use. Rows come back with API property names.
const TABLE = Object.freeze({
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
  writable: { email: '"email"', display_name: '"display_name"', role: '"role"' },
  updatable: { email: '"email"', display_name: '"display_name"', role: '"role"' },
  json: [],
  defaultOrder: ['"created_at"', '"id"'],
  keyOrder: ['"id"'],
  updatedAt: '"updated_at"',
});

const SELECT_BY_KEY = 'SELECT "id" AS "id", "email" AS "email", "display_name" AS "display_name", "role" AS "role", "created_at" AS "created_at", "updated_at" AS "updated_at" FROM "users" WHERE "id" = $1';
const DELETE_BY_KEY = 'DELETE FROM "users" WHERE "id" = $1';

// Column and constraint names -> API properties, so a database error can name the field.
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

// One page of users matching `filters` (property -> value), the total that
// match (null when `count` is false) and the cursor of the next page.
async function findUsers(options: FindOptions): Promise<FoundPage<UserRow>> {
  return findPage<UserRow>(TABLE, options, FIELD_NAMES);
}

// The user with this key ({ id }), or null.
async function findUserByKey(key: Row): Promise<UserRow | null> {
  const result = await query<UserRow>(SELECT_BY_KEY, keyValues(TABLE, key), FIELD_NAMES);
  return result.rows[0] ?? null;
}

async function insertUser(data: Row): Promise<UserRow> {
  const statement = buildInsert(TABLE, data);
  const result = await query<UserRow>(statement.text, statement.values, FIELD_NAMES,
    statement.props);
  const inserted = result.rows[0];
  if (inserted === undefined) {
    throw new Error('INSERT ... RETURNING returned no row');
  }
  return inserted;
}

// Sets the given properties; null when no row has this key.
async function updateUserByKey(key: Row, changes: Row): Promise<UserRow | null> {
  const statement = buildUpdate(TABLE, key, changes);
  const result = await query<UserRow>(statement.text, statement.values, FIELD_NAMES,
    statement.props);
  return result.rows[0] ?? null;
}

// Sets every updatable property: the ones not given go back to their default.
async function replaceUserByKey(key: Row, data: Row): Promise<UserRow | null> {
  const statement = buildUpdate(TABLE, key, data, { replace: true });
  const result = await query<UserRow>(statement.text, statement.values, FIELD_NAMES,
    statement.props);
  return result.rows[0] ?? null;
}

// True when a row was deleted.
async function deleteUserByKey(key: Row): Promise<boolean> {
  const result = await query(DELETE_BY_KEY, keyValues(TABLE, key), FIELD_NAMES);
  return (result.rowCount ?? 0) > 0;
}

export {
  findUsers,
  findUserByKey,
  insertUser,
  updateUserByKey,
  replaceUserByKey,
  deleteUserByKey,
};
