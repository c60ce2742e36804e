import { query, findPage } from '../db';
import type { FindOptions, FoundPage } from '../db';
import { keyValues, buildInsert, buildUpdate } from '../db/sql';
import type { Row } from '../db/sql';

// One comment as the API returns it (from the same column model as its JSON Schema).
export type CommentRow = {
  id: string;
  task_id: string;
  author_id: string;
  body: string;
  created_at: string;
  updated_at: string;
};

// Every identifier the "comments" queries may use. Rows come back with API property names.
const TABLE = Object.freeze({
  name: '"comments"',
  select: '"id" AS "id", "task_id" AS "task_id", "author_id" AS "author_id", "body" AS "body", "created_at" AS "created_at", "updated_at" AS "updated_at"',
  keyProps: ['id'],
  keyCondition: '"id" = $1',
  filterable: {
    id: '"id"',
    task_id: '"task_id"',
    author_id: '"author_id"',
    body: '"body"',
    created_at: '"created_at"',
    updated_at: '"updated_at"',
  },
  writable: { task_id: '"task_id"', author_id: '"author_id"', body: '"body"' },
  updatable: { task_id: '"task_id"', author_id: '"author_id"', body: '"body"' },
  json: [],
  defaultOrder: ['"created_at"', '"id"'],
  keyOrder: ['"id"'],
  updatedAt: '"updated_at"',
});

const SELECT_BY_KEY = 'SELECT "id" AS "id", "task_id" AS "task_id", "author_id" AS "author_id", "body" AS "body", "created_at" AS "created_at", "updated_at" AS "updated_at" FROM "comments" WHERE "id" = $1';
const DELETE_BY_KEY = 'DELETE FROM "comments" WHERE "id" = $1';

// Column and constraint names -> API properties, so a database error can name the field.
const FIELD_NAMES = Object.freeze({
  id: 'id',
  task_id: 'task_id',
  comments_task_id_fkey: 'task_id',
  author_id: 'author_id',
  comments_author_id_fkey: 'author_id',
  body: 'body',
  created_at: 'created_at',
  updated_at: 'updated_at',
});

// One page of comments matching `filters` (property -> value), the total that
// match (null when `count` is false) and the cursor of the next page.
async function findComments(options: FindOptions): Promise<FoundPage<CommentRow>> {
  return findPage<CommentRow>(TABLE, options, FIELD_NAMES);
}

// The comment with this key ({ id }), or null.
async function findCommentByKey(key: Row): Promise<CommentRow | null> {
  const result = await query<CommentRow>(SELECT_BY_KEY, keyValues(TABLE, key), FIELD_NAMES);
  return result.rows[0] ?? null;
}

async function insertComment(data: Row): Promise<CommentRow> {
  const statement = buildInsert(TABLE, data);
  const result = await query<CommentRow>(statement.text, statement.values, FIELD_NAMES,
    statement.props);
  const inserted = result.rows[0];
  if (inserted === undefined) {
    throw new Error('INSERT ... RETURNING returned no row');
  }
  return inserted;
}

// Sets the given properties; null when no row has this key.
async function updateCommentByKey(key: Row, changes: Row): Promise<CommentRow | null> {
  const statement = buildUpdate(TABLE, key, changes);
  const result = await query<CommentRow>(statement.text, statement.values, FIELD_NAMES,
    statement.props);
  return result.rows[0] ?? null;
}

// Sets every updatable property: the ones not given go back to their default.
async function replaceCommentByKey(key: Row, data: Row): Promise<CommentRow | null> {
  const statement = buildUpdate(TABLE, key, data, { replace: true });
  const result = await query<CommentRow>(statement.text, statement.values, FIELD_NAMES,
    statement.props);
  return result.rows[0] ?? null;
}

// True when a row was deleted.
async function deleteCommentByKey(key: Row): Promise<boolean> {
  const result = await query(DELETE_BY_KEY, keyValues(TABLE, key), FIELD_NAMES);
  return (result.rowCount ?? 0) > 0;
}

export {
  findComments,
  findCommentByKey,
  insertComment,
  updateCommentByKey,
  replaceCommentByKey,
  deleteCommentByKey,
};
