'use strict';

const pg = require('pg');
const { config } = require('../utils/config');
const { logger } = require('../utils/logger');

const { builtins } = pg.types;

// node-postgres returns bigint and numeric as strings (they may not fit a JS
// number); this API exchanges them as JSON numbers, exact up to 2^53 and 15
// significant digits.
pg.types.setTypeParser(builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(builtins.NUMERIC, (value) => Number(value));
// A DATE has no time zone: keep 'YYYY-MM-DD' instead of a local-midnight Date.
pg.types.setTypeParser(builtins.DATE, (value) => value);

function sslOptions(mode) {
  if (mode === 'require') {
    return { rejectUnauthorized: false };
  }
  if (mode === 'verify-full') {
    return { rejectUnauthorized: true };
  }
  return false;
}

const pool = new pg.Pool({
  connectionString: config.database.url,
  max: config.database.poolMax,
  ssl: sslOptions(config.database.ssl),
  connectionTimeoutMillis: 5000,
  idleTimeoutMillis: 30000,
  application_name: 'task-manager',
});

// An idle client can lose its connection (database restart); the pool replaces it.
pool.on('error', (err) => {
  logger.error({ err }, 'idle database client failed');
});

let closing;

function closePool() {
  closing ??= pool.end();
  return closing;
}

module.exports = { pool, closePool };
