import { query, findPage } from '../db';
import type { FindOptions, FoundPage } from '../db';
import { keyValues, buildInsert, buildUpdate } from '../db/sql';
import type { Row } from '../db/sql';

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
async function findTasks(options: FindOptions): Promise<FoundPage<TaskRow>> {
  return findPage<TaskRow>(TABLE, options, FIELD_NAMES);
}

// The task with this key ({ id }), or null.
async function findTaskByKey(key: Row): Promise<TaskRow | null> {
  const result = await query<TaskRow>(SELECT_BY_KEY, keyValues(TABLE, key), FIELD_NAMES);
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

// Sets the given properties; null when no row has this key.
async function updateTaskByKey(key: Row, changes: Row): Promise<TaskRow | null> {
  const statement = buildUpdate(TABLE, key, changes);
  const result = await query<TaskRow>(statement.text, statement.values, FIELD_NAMES,
    statement.props);
  return result.rows[0] ?? null;
}

// Sets every updatable property: the ones not given go back to their default.
async function replaceTaskByKey(key: Row, data: Row): Promise<TaskRow | null> {
  const statement = buildUpdate(TABLE, key, data, { replace: true });
  const result = await query<TaskRow>(statement.text, statement.values, FIELD_NAMES,
    statement.props);
  return result.rows[0] ?? null;
}

// True when a row was deleted.
async function deleteTaskByKey(key: Row): Promise<boolean> {
  const result = await query(DELETE_BY_KEY, keyValues(TABLE, key), FIELD_NAMES);
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
