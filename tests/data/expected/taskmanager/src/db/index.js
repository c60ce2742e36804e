'use strict';

const { pool, closePool } = require('./pool');

// Where PostgreSQL reports a column or constraint name, look it up in the
// caller's map (column/constraint -> API property) so the error handler can
// name the field the client sent.
function describeField(err, fieldNames) {
  if (err === null || typeof err !== 'object' || typeof err.code !== 'string') {
    return err;
  }
  const detailColumn = /^Key \(([^)]+)\)=/.exec(err.detail ?? '')?.[1];
  for (const name of [err.column, err.constraint, detailColumn]) {
    if (name !== undefined && Object.hasOwn(fieldNames, name)) {
      err.field = fieldNames[name];
      break;
    }
  }
  return err;
}

async function query(text, values = [], fieldNames = {}) {
  try {
    return await pool.query(text, values);
  } catch (err) {
    throw describeField(err, fieldNames);
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

async function ping() {
  await pool.query('SELECT 1');
}

module.exports = { pool, query, withTransaction, ping, closePool };
