import { query, findPage } from '../db';
import type { FindOptions, FoundPage } from '../db';
import { keyValues, buildInsert, buildUpdate } from '../db/sql';
import type { Row, Scope } from '../db/sql';

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

// The rows of one owner ($OWNER: the owner's key), from the access policy (null: the
// rows belong to no one, and no rule limits a caller to its own).
const OWNER_CONDITION: string | null = '"users"."id" = $OWNER';

// An owner's rows as a condition buildList/buildUpdate add (undefined: every row).
function ownerScope(owner: unknown): Scope | undefined {
  if (owner === null) {
    return undefined;
  }
  if (OWNER_CONDITION === null) {
    throw new Error('users have no owner: no rule can limit a caller to its own');
  }
  return { condition: OWNER_CONDITION, value: owner };
}

// The key's values and, with an owner, its condition appended as one more parameter.
function keyWithOwner(text: string, key: Row, owner: unknown): { text: string; values: unknown[] } {
  const values = keyValues(TABLE, key);
  const scope = ownerScope(owner);
  if (scope === undefined) {
    return { text, values };
  }
  values.push(scope.value);
  return { text: text + ' AND (' + scope.condition.replace('$OWNER', () => '$' + values.length) + ')', values };
}

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
// `owner`: only that account's rows (null: every row).
async function findUsers({ owner = null, ...options }: FindOptions & { owner?: unknown }):
  Promise<FoundPage<UserRow>> {
  return findPage<UserRow>(TABLE, { ...options, scope: ownerScope(owner) }, FIELD_NAMES);
}

// The user with this key ({ id }), or null; with an
// `owner`, null too when it is not that account's.
async function findUserByKey(key: Row, owner: unknown = null): Promise<UserRow | null> {
  const { text, values } = keyWithOwner(SELECT_BY_KEY, key, owner);
  const result = await query<UserRow>(text, values, FIELD_NAMES);
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

// Sets the given properties; null when no row has this key (with an `owner`: when it is
// no longer that account's; the check is part of the UPDATE, so it cannot race it).
async function updateUserByKey(key: Row, changes: Row,
  owner: unknown = null): Promise<UserRow | null> {
  const statement = buildUpdate(TABLE, key, changes, { scope: ownerScope(owner) });
  const result = await query<UserRow>(statement.text, statement.values, FIELD_NAMES,
    statement.props);
  return result.rows[0] ?? null;
}

// Sets every updatable property: the ones not given go back to their default.
async function replaceUserByKey(key: Row, data: Row,
  owner: unknown = null): Promise<UserRow | null> {
  const statement = buildUpdate(TABLE, key, data, { replace: true, scope: ownerScope(owner) });
  const result = await query<UserRow>(statement.text, statement.values, FIELD_NAMES,
    statement.props);
  return result.rows[0] ?? null;
}

// True when a row was deleted (with an `owner`: only while it is that account's, in the
// same DELETE).
async function deleteUserByKey(key: Row, owner: unknown = null): Promise<boolean> {
  const { text, values } = keyWithOwner(DELETE_BY_KEY, key, owner);
  const result = await query(text, values, FIELD_NAMES);
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
