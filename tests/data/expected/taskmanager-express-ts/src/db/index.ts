import type { PoolClient, QueryResult } from 'pg';
import { pool, closePool } from './pool';
import { buildList, orderProps } from './sql';
import type { Order, Row, Scope, TableDef } from './sql';
import { ValidationError } from '../utils/errors';

// Where PostgreSQL reports a column or constraint name, look it up in the
// caller's map (column/constraint -> API property) so the error handler can
// name the field the client sent; a value it could not parse is reported against
// its parameter ("unnamed portal parameter $2"): `props[1]` names that one.
export type FieldNames = Readonly<Record<string, string>>;

// What node-postgres puts on a database error (DatabaseError), plus the field we add.
export interface DbError {
  code: string;
  detail?: string | undefined;
  column?: string | undefined;
  constraint?: string | undefined;
  where?: string | undefined;
  field?: string;
}

function describeField(err: unknown, fieldNames: FieldNames,
  props: readonly string[] = []): unknown {
  if (err === null || typeof err !== 'object' || typeof (err as DbError).code !== 'string') {
    return err;
  }
  const dbErr = err as DbError;
  const detailColumn = /^Key \(([^)]+)\)=/.exec(dbErr.detail ?? '')?.[1];
  for (const name of [dbErr.column, dbErr.constraint, detailColumn]) {
    const field = name !== undefined && Object.hasOwn(fieldNames, name) ? fieldNames[name] : undefined;
    if (field !== undefined) {
      dbErr.field = field;
      return dbErr;
    }
  }
  const parameter = /\bparameter \$(\d+)\b/.exec(dbErr.where ?? '')?.[1];
  const prop = parameter !== undefined ? props[Number(parameter) - 1] : undefined;
  if (prop !== undefined) {
    dbErr.field = prop;
  }
  return dbErr;
}

async function query<R extends Row = Row>(text: string, values: unknown[] = [],
  fieldNames: FieldNames = {}, props: readonly string[] = []): Promise<QueryResult<R>> {
  try {
    return await pool.query<R>(text, values);
  } catch (err) {
    throw describeField(err, fieldNames, props);
  }
}

// Runs `work(client)` inside BEGIN/COMMIT; any error rolls back and is rethrown.
async function withTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

function cursorError(message: string): ValidationError {
  return new ValidationError([{ field: 'cursor', message }]);
}

// A cursor is the list's sort, order and the order values of a page's last row,
// as base64url JSON: opaque to clients, checked (never trusted) when it comes back.
function encodeCursor(sort: string | undefined, order: Order, values: unknown[]): string {
  return Buffer.from(JSON.stringify({ s: sort ?? null, o: order, v: values })).toString('base64url');
}

interface CursorState {
  s: unknown;
  o: unknown;
  v: unknown;
}

function decodeCursor(cursor: string, sort: string | undefined, order: Order,
  width: number): unknown[] {
  let state: CursorState | null;
  try {
    state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorState | null;
  } catch {
    throw cursorError('is not a cursor this API returned');
  }
  const scalar = (v: unknown): boolean => v === null || ['string', 'number', 'boolean'].includes(typeof v);
  if (state === null || typeof state !== 'object' || !Array.isArray(state.v)
      || state.v.length !== width || !state.v.every(scalar)) {
    throw cursorError('is not a cursor this API returned');
  }
  if (state.s !== (sort ?? null) || state.o !== order) {
    throw cursorError('belongs to a list with another sort or order: send the same sort and order');
  }
  return state.v;
}

// One page of a table's rows and, unless `count` is false, the total that match,
// both read from one snapshot (REPEATABLE READ), so the total describes the page.
// A page continues after `cursor` (keyset: cheap at any depth) or skips `offset` rows.
export interface FindOptions {
  filters?: Row | undefined;
  sort?: string | undefined;
  order?: Order | undefined;
  limit: number;
  offset?: number | undefined;
  cursor?: string | undefined;
  count?: boolean | undefined;
  scope?: Scope | undefined;
}

export interface FoundPage<R> {
  rows: R[];
  total: number | null;
  nextCursor: string | null;
}

async function findPage<R extends Row = Row>(table: TableDef,
  { filters, sort, order = 'asc', limit, offset = 0, cursor, count = true, scope }: FindOptions,
  fieldNames: FieldNames = {}): Promise<FoundPage<R>> {
  const props = orderProps(table, sort);
  let after: unknown[] | undefined;
  if (cursor !== undefined) {
    if (offset > 0) {
      throw cursorError('cannot be combined with offset');
    }
    if (props === null) {
      throw cursorError('is not supported for this sort');
    }
    after = decodeCursor(cursor, sort, order, props.length);
  }
  const statements = buildList(table, { filters, sort, order, limit, offset, after, scope });
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const page = await client.query<R>(statements.page.text, statements.page.values);
    const total = count
      ? Number((await client.query<{ total: string }>(statements.count.text,
        statements.count.values)).rows[0]?.total ?? 0)
      : null;
    await client.query('COMMIT');
    const last = page.rows.at(-1);
    const nextCursor = props !== null && page.rows.length === limit && last !== undefined
      ? encodeCursor(sort, order, props.map((prop) => last[prop]))
      : null;
    return { rows: page.rows, total, nextCursor };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw describeField(err, fieldNames);
  } finally {
    client.release();
  }
}

async function ping(): Promise<void> {
  await pool.query('SELECT 1');
}

export { pool, query, findPage, withTransaction, ping, closePool };
export type { Row, TableDef };
