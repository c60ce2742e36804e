import { query, findPage } from '../db';
import type { FindOptions, FoundPage } from '../db';
import { keyValues, buildInsert, buildUpdate } from '../db/sql';
import type { Row } from '../db/sql';

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
async function findProjects(options: FindOptions): Promise<FoundPage<ProjectRow>> {
  return findPage<ProjectRow>(TABLE, options, FIELD_NAMES);
}

// The project with this key ({ id }), or null.
async function findProjectByKey(key: Row): Promise<ProjectRow | null> {
  const result = await query<ProjectRow>(SELECT_BY_KEY, keyValues(TABLE, key), FIELD_NAMES);
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

// Sets the given properties; null when no row has this key.
async function updateProjectByKey(key: Row, changes: Row): Promise<ProjectRow | null> {
  const statement = buildUpdate(TABLE, key, changes);
  const result = await query<ProjectRow>(statement.text, statement.values, FIELD_NAMES,
    statement.props);
  return result.rows[0] ?? null;
}

// Sets every updatable property: the ones not given go back to their default.
async function replaceProjectByKey(key: Row, data: Row): Promise<ProjectRow | null> {
  const statement = buildUpdate(TABLE, key, data, { replace: true });
  const result = await query<ProjectRow>(statement.text, statement.values, FIELD_NAMES,
    statement.props);
  return result.rows[0] ?? null;
}

// True when a row was deleted.
async function deleteProjectByKey(key: Row): Promise<boolean> {
  const result = await query(DELETE_BY_KEY, keyValues(TABLE, key), FIELD_NAMES);
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
