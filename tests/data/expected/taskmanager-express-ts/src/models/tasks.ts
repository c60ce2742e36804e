import { query, findPage } from '../db';
import type { FindOptions, FoundPage } from '../db';
import { keyValues, buildInsert, buildUpdate } from '../db/sql';
import type { Row, Scope } from '../db/sql';

// One task as the API returns it (from the same column model as its JSON Schema).
export type TaskRow = {
  id: string;
  project_id: string;
  assignee_id: string | null;
  title: string;
  status: "todo" | "in_progress" | "done";
  priority: number | null;
  due_date: string | null;
  estimate_hours: string | number | null;
  created_at: string;
  updated_at: string;
};

// Every identifier the "tasks" queries may use. Rows come back with API property names.
const TABLE = Object.freeze({
  name: '"tasks"',
  select: '"id" AS "id", "project_id" AS "project_id", "assignee_id" AS "assignee_id", "title" AS "title", "status" AS "status", "priority" AS "priority", "due_date" AS "due_date", "estimate_hours" AS "estimate_hours", "created_at" AS "created_at", "updated_at" AS "updated_at"',
  keyProps: ['id'],
  keyCondition: '"id" = $1',
  filterable: {
    id: '"id"',
    project_id: '"project_id"',
    assignee_id: '"assignee_id"',
    title: '"title"',
    status: '"status"',
    priority: '"priority"',
    due_date: '"due_date"',
    estimate_hours: '"estimate_hours"',
    created_at: '"created_at"',
    updated_at: '"updated_at"',
  },
  writable: {
    project_id: '"project_id"',
    assignee_id: '"assignee_id"',
    title: '"title"',
    status: '"status"',
    priority: '"priority"',
    due_date: '"due_date"',
    estimate_hours: '"estimate_hours"',
  },
  updatable: {
    project_id: '"project_id"',
    assignee_id: '"assignee_id"',
    title: '"title"',
    status: '"status"',
    priority: '"priority"',
    due_date: '"due_date"',
    estimate_hours: '"estimate_hours"',
  },
  json: [],
  defaultOrder: ['"created_at"', '"id"'],
  keyOrder: ['"id"'],
  updatedAt: '"updated_at"',
});

const SELECT_BY_KEY = 'SELECT "id" AS "id", "project_id" AS "project_id", "assignee_id" AS "assignee_id", "title" AS "title", "status" AS "status", "priority" AS "priority", "due_date" AS "due_date", "estimate_hours" AS "estimate_hours", "created_at" AS "created_at", "updated_at" AS "updated_at" FROM "tasks" WHERE "id" = $1';
const DELETE_BY_KEY = 'DELETE FROM "tasks" WHERE "id" = $1';

// The rows of one owner ($OWNER: the owner's key), from the access policy (null: the
// rows belong to no one, and no rule limits a caller to its own).
const OWNER_CONDITION: string | null = '"tasks"."project_id" IN (SELECT "projects"."id" FROM "projects" WHERE "projects"."owner_id" = $OWNER)';

// An owner's rows as a condition buildList/buildUpdate add (undefined: every row).
function ownerScope(owner: unknown): Scope | undefined {
  if (owner === null) {
    return undefined;
  }
  if (OWNER_CONDITION === null) {
    throw new Error('tasks have no owner: no rule can limit a caller to its own');
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
  project_id: 'project_id',
  tasks_project_id_fkey: 'project_id',
  assignee_id: 'assignee_id',
  tasks_assignee_id_fkey: 'assignee_id',
  title: 'title',
  status: 'status',
  tasks_status_check: 'status',
  priority: 'priority',
  tasks_priority_check: 'priority',
  due_date: 'due_date',
  estimate_hours: 'estimate_hours',
  created_at: 'created_at',
  updated_at: 'updated_at',
});

// One page of tasks matching `filters` (property -> value), the total that
// match (null when `count` is false) and the cursor of the next page.
// `owner`: only that account's rows (null: every row).
async function findTasks({ owner = null, ...options }: FindOptions & { owner?: unknown }):
  Promise<FoundPage<TaskRow>> {
  return findPage<TaskRow>(TABLE, { ...options, scope: ownerScope(owner) }, FIELD_NAMES);
}

// The task with this key ({ id }), or null; with an
// `owner`, null too when it is not that account's.
async function findTaskByKey(key: Row, owner: unknown = null): Promise<TaskRow | null> {
  const { text, values } = keyWithOwner(SELECT_BY_KEY, key, owner);
  const result = await query<TaskRow>(text, values, FIELD_NAMES);
  return result.rows[0] ?? null;
}

async function insertTask(data: Row): Promise<TaskRow> {
  const statement = buildInsert(TABLE, data);
  const result = await query<TaskRow>(statement.text, statement.values, FIELD_NAMES,
    statement.props);
  const inserted = result.rows[0];
  if (inserted === undefined) {
    throw new Error('INSERT ... RETURNING returned no row');
  }
  return inserted;
}

// Sets the given properties; null when no row has this key (with an `owner`: when it is
// no longer that account's; the check is part of the UPDATE, so it cannot race it).
async function updateTaskByKey(key: Row, changes: Row,
  owner: unknown = null): Promise<TaskRow | null> {
  const statement = buildUpdate(TABLE, key, changes, { scope: ownerScope(owner) });
  const result = await query<TaskRow>(statement.text, statement.values, FIELD_NAMES,
    statement.props);
  return result.rows[0] ?? null;
}

// Sets every updatable property: the ones not given go back to their default.
async function replaceTaskByKey(key: Row, data: Row,
  owner: unknown = null): Promise<TaskRow | null> {
  const statement = buildUpdate(TABLE, key, data, { replace: true, scope: ownerScope(owner) });
  const result = await query<TaskRow>(statement.text, statement.values, FIELD_NAMES,
    statement.props);
  return result.rows[0] ?? null;
}

// True when a row was deleted (with an `owner`: only while it is that account's, in the
// same DELETE).
async function deleteTaskByKey(key: Row, owner: unknown = null): Promise<boolean> {
  const { text, values } = keyWithOwner(DELETE_BY_KEY, key, owner);
  const result = await query(text, values, FIELD_NAMES);
  return (result.rowCount ?? 0) > 0;
}

export {
  findTasks,
  findTaskByKey,
  insertTask,
  updateTaskByKey,
  replaceTaskByKey,
  deleteTaskByKey,
};
