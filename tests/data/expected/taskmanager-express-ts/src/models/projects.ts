import { query, findPage } from '../db';
import type { FindOptions, FoundPage } from '../db';
import { keyValues, buildInsert, buildUpdate } from '../db/sql';
import type { Row, Scope } from '../db/sql';

// One project as the API returns it (from the same column model as its JSON Schema).
export type ProjectRow = {
  id: string;
  name: string;
  description: string | null;
  owner_id: string;
  archived: boolean;
  created_at: string;
  updated_at: string;
};

// Every identifier the "projects" queries may use. Rows come back with API property names.
const TABLE = Object.freeze({
  name: '"projects"',
  select: '"id" AS "id", "name" AS "name", "description" AS "description", "owner_id" AS "owner_id", "archived" AS "archived", "created_at" AS "created_at", "updated_at" AS "updated_at"',
  keyProps: ['id'],
  keyCondition: '"id" = $1',
  filterable: {
    id: '"id"',
    name: '"name"',
    description: '"description"',
    owner_id: '"owner_id"',
    archived: '"archived"',
    created_at: '"created_at"',
    updated_at: '"updated_at"',
  },
  writable: {
    name: '"name"',
    description: '"description"',
    owner_id: '"owner_id"',
    archived: '"archived"',
  },
  updatable: {
    name: '"name"',
    description: '"description"',
    owner_id: '"owner_id"',
    archived: '"archived"',
  },
  json: [],
  defaultOrder: ['"created_at"', '"id"'],
  keyOrder: ['"id"'],
  updatedAt: '"updated_at"',
});

const SELECT_BY_KEY = 'SELECT "id" AS "id", "name" AS "name", "description" AS "description", "owner_id" AS "owner_id", "archived" AS "archived", "created_at" AS "created_at", "updated_at" AS "updated_at" FROM "projects" WHERE "id" = $1';
const DELETE_BY_KEY = 'DELETE FROM "projects" WHERE "id" = $1';

// The rows of one owner ($OWNER: the owner's key), from the access policy (null: the
// rows belong to no one, and no rule limits a caller to its own).
const OWNER_CONDITION: string | null = '"projects"."owner_id" = $OWNER';

// An owner's rows as a condition buildList/buildUpdate add (undefined: every row).
function ownerScope(owner: unknown): Scope | undefined {
  if (owner === null) {
    return undefined;
  }
  if (OWNER_CONDITION === null) {
    throw new Error('projects have no owner: no rule can limit a caller to its own');
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
  name: 'name',
  description: 'description',
  owner_id: 'owner_id',
  projects_owner_id_fkey: 'owner_id',
  archived: 'archived',
  created_at: 'created_at',
  updated_at: 'updated_at',
});

// One page of projects matching `filters` (property -> value), the total that
// match (null when `count` is false) and the cursor of the next page.
// `owner`: only that account's rows (null: every row).
async function findProjects({ owner = null, ...options }: FindOptions & { owner?: unknown }):
  Promise<FoundPage<ProjectRow>> {
  return findPage<ProjectRow>(TABLE, { ...options, scope: ownerScope(owner) }, FIELD_NAMES);
}

// The project with this key ({ id }), or null; with an
// `owner`, null too when it is not that account's.
async function findProjectByKey(key: Row, owner: unknown = null): Promise<ProjectRow | null> {
  const { text, values } = keyWithOwner(SELECT_BY_KEY, key, owner);
  const result = await query<ProjectRow>(text, values, FIELD_NAMES);
  return result.rows[0] ?? null;
}

async function insertProject(data: Row): Promise<ProjectRow> {
  const statement = buildInsert(TABLE, data);
  const result = await query<ProjectRow>(statement.text, statement.values, FIELD_NAMES,
    statement.props);
  const inserted = result.rows[0];
  if (inserted === undefined) {
    throw new Error('INSERT ... RETURNING returned no row');
  }
  return inserted;
}

// Sets the given properties; null when no row has this key (with an `owner`: when it is
// no longer that account's; the check is part of the UPDATE, so it cannot race it).
async function updateProjectByKey(key: Row, changes: Row,
  owner: unknown = null): Promise<ProjectRow | null> {
  const statement = buildUpdate(TABLE, key, changes, { scope: ownerScope(owner) });
  const result = await query<ProjectRow>(statement.text, statement.values, FIELD_NAMES,
    statement.props);
  return result.rows[0] ?? null;
}

// Sets every updatable property: the ones not given go back to their default.
async function replaceProjectByKey(key: Row, data: Row,
  owner: unknown = null): Promise<ProjectRow | null> {
  const statement = buildUpdate(TABLE, key, data, { replace: true, scope: ownerScope(owner) });
  const result = await query<ProjectRow>(statement.text, statement.values, FIELD_NAMES,
    statement.props);
  return result.rows[0] ?? null;
}

// True when a row was deleted (with an `owner`: only while it is that account's, in the
// same DELETE).
async function deleteProjectByKey(key: Row, owner: unknown = null): Promise<boolean> {
  const { text, values } = keyWithOwner(DELETE_BY_KEY, key, owner);
  const result = await query(text, values, FIELD_NAMES);
  return (result.rowCount ?? 0) > 0;
}

export {
  findProjects,
  findProjectByKey,
  insertProject,
  updateProjectByKey,
  replaceProjectByKey,
  deleteProjectByKey,
};
