'use strict';

const { pool, closePool } = require('./pool');
const { buildList, orderProps } = require('./sql');
const { ValidationError } = require('../utils/errors');

// Where PostgreSQL reports a column or constraint name, look it up in the
// caller's map (column/constraint -> API property) so the error handler can
// name the field the client sent; a value it could not parse is reported against
// its parameter ("unnamed portal parameter $2"): `props[1]` names that one.
function describeField(err, fieldNames, props = []) {
  if (err === null || typeof err !== 'object' || typeof err.code !== 'string') {
    return err;
  }
  const detailColumn = /^Key \(([^)]+)\)=/.exec(err.detail ?? '')?.[1];
  for (const name of [err.column, err.constraint, detailColumn]) {
    if (name !== undefined && Object.hasOwn(fieldNames, name)) {
      err.field = fieldNames[name];
      return err;
    }
  }
  const parameter = /\bparameter \$(\d+)\b/.exec(err.where ?? '')?.[1];
  if (parameter !== undefined && props[Number(parameter) - 1] !== undefined) {
    err.field = props[Number(parameter) - 1];
  }
  return err;
}

async function query(text, values = [], fieldNames = {}, props = []) {
  try {
    return await pool.query(text, values);
  } catch (err) {
    throw describeField(err, fieldNames, props);
  }
}

// Runs `work(client)` inside BEGIN/COMMIT; any error rolls back and is rethrown.
async function withTransaction(work) {
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

function cursorError(message) {
  return new ValidationError([{ field: 'cursor', message }]);
}

// A cursor is the list's sort, order and the order values of a page's last row,
// as base64url JSON: opaque to clients, checked (never trusted) when it comes back.
function encodeCursor(sort, order, values) {
  return Buffer.from(JSON.stringify({ s: sort ?? null, o: order, v: values })).toString('base64url');
}

function decodeCursor(cursor, sort, order, width) {
  let state;
  try {
    state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw cursorError('is not a cursor this API returned');
  }
  const scalar = (v) => v === null || ['string', 'number', 'boolean'].includes(typeof v);
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
async function findPage(table, { filters, sort, order = 'asc', limit, offset = 0, cursor, count = true, scope }, fieldNames = {}) {
  const props = orderProps(table, sort);
  let after;
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
    const page = await client.query(statements.page.text, statements.page.values);
    const total = count
      ? Number((await client.query(statements.count.text, statements.count.values)).rows[0].total)
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

async function ping() {
  await pool.query('SELECT 1');
}

module.exports = { pool, query, findPage, withTransaction, ping, closePool };
