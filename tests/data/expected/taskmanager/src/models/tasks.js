'use strict';

const { query, findPage } = require('../db');
const { keyValues, buildInsert, buildUpdate } = require('../db/sql');

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

// The rows of one owner ($OWNER: the owner's key), from the access policy.
const OWNER_CONDITION = '"tasks"."project_id" IN (SELECT "projects"."id" FROM "projects" WHERE "projects"."owner_id" = $OWNER)';

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
async function findTasks({ owner = null, ...options }) {
  const scope = owner === null ? undefined : { condition: OWNER_CONDITION, value: owner };
  return findPage(TABLE, { ...options, scope }, FIELD_NAMES);
}

// The task with this key ({ id }), or null; with an
// `owner`, null too when it is not that account's.
async function findTaskByKey(key, owner = null) {
  const values = keyValues(TABLE, key);
  const text = owner === null ? SELECT_BY_KEY
    : SELECT_BY_KEY + ' AND ' + OWNER_CONDITION.replace('$OWNER', () => '$' + values.push(owner));
  const result = await query(text, values, FIELD_NAMES);
  return result.rows[0] ?? null;
}

async function insertTask(data) {
  const statement = buildInsert(TABLE, data);
  const result = await query(statement.text, statement.values, FIELD_NAMES, statement.props);
  return result.rows[0];
}

// Sets the given properties; null when no row has this key (with an `owner`: when it is
// no longer that account's; the check is part of the UPDATE, so it cannot race it).
async function updateTaskByKey(key, changes, owner = null) {
  const scope = owner === null ? undefined : { condition: OWNER_CONDITION, value: owner };
  const statement = buildUpdate(TABLE, key, changes, { scope });
  const result = await query(statement.text, statement.values, FIELD_NAMES);
  return result.rows[0] ?? null;
}

// Sets every updatable property: the ones not given go back to their default.
async function replaceTaskByKey(key, data, owner = null) {
  const scope = owner === null ? undefined : { condition: OWNER_CONDITION, value: owner };
  const statement = buildUpdate(TABLE, key, data, { replace: true, scope });
  const result = await query(statement.text, statement.values, FIELD_NAMES);
  return result.rows[0] ?? null;
}

// True when a row was deleted (with an `owner`: only while it is that account's, in the
// same DELETE).
async function deleteTaskByKey(key, owner = null) {
  const values = keyValues(TABLE, key);
  const text = owner === null ? DELETE_BY_KEY
    : DELETE_BY_KEY + ' AND (' + OWNER_CONDITION.replace('$OWNER', () => '$' + values.push(owner)) + ')';
  const result = await query(text, values, FIELD_NAMES);
  return result.rowCount > 0;
}

module.exports = {
  findTasks,
  findTaskByKey,
  insertTask,
  updateTaskByKey,
  replaceTaskByKey,
  deleteTaskByKey,
};
