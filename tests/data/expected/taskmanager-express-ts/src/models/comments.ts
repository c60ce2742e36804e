import { query, findPage } from '../db';
import type { FindOptions, FoundPage } from '../db';
import { keyValues, buildInsert, buildUpdate } from '../db/sql';
import type { Row, Scope } from '../db/sql';

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

// The rows of one owner ($OWNER: the owner's key), from the access policy (null: the
// rows belong to no one, and no rule limits a caller to its own).
const OWNER_CONDITION: string | null = '"comments"."author_id" = $OWNER';

// An owner's rows as a condition buildList/buildUpdate add (undefined: every row).
function ownerScope(owner: unknown): Scope | undefined {
  if (owner === null) {
    return undefined;
  }
  if (OWNER_CONDITION === null) {
    throw new Error('comments have no owner: no rule can limit a caller to its own');
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
// `owner`: only that account's rows (null: every row).
async function findComments({ owner = null, ...options }: FindOptions & { owner?: unknown }):
  Promise<FoundPage<CommentRow>> {
  return findPage<CommentRow>(TABLE, { ...options, scope: ownerScope(owner) }, FIELD_NAMES);
}

// The comment with this key ({ id }), or null; with an
// `owner`, null too when it is not that account's.
async function findCommentByKey(key: Row, owner: unknown = null): Promise<CommentRow | null> {
  const { text, values } = keyWithOwner(SELECT_BY_KEY, key, owner);
  const result = await query<CommentRow>(text, values, FIELD_NAMES);
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

// Sets the given properties; null when no row has this key (with an `owner`: when it is
// no longer that account's; the check is part of the UPDATE, so it cannot race it).
async function updateCommentByKey(key: Row, changes: Row,
  owner: unknown = null): Promise<CommentRow | null> {
  const statement = buildUpdate(TABLE, key, changes, { scope: ownerScope(owner) });
  const result = await query<CommentRow>(statement.text, statement.values, FIELD_NAMES,
    statement.props);
  return result.rows[0] ?? null;
}

// Sets every updatable property: the ones not given go back to their default.
async function replaceCommentByKey(key: Row, data: Row,
  owner: unknown = null): Promise<CommentRow | null> {
  const statement = buildUpdate(TABLE, key, data, { replace: true, scope: ownerScope(owner) });
  const result = await query<CommentRow>(statement.text, statement.values, FIELD_NAMES,
    statement.props);
  return result.rows[0] ?? null;
}

// True when a row was deleted (with an `owner`: only while it is that account's, in the
// same DELETE).
async function deleteCommentByKey(key: Row, owner: unknown = null): Promise<boolean> {
  const { text, values } = keyWithOwner(DELETE_BY_KEY, key, owner);
  const result = await query(text, values, FIELD_NAMES);
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
