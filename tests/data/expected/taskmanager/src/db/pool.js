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

// verify-full checks the certificate chain and the host name, against
// DATABASE_CA_FILE (e.g. the RDS bundle in the image) or Node's trusted CAs.
function sslOptions(mode, ca) {
  if (mode === 'require') {
    return { rejectUnauthorized: false };
  }
  if (mode === 'verify-full') {
    return ca === undefined ? { rejectUnauthorized: true } : { ca, rejectUnauthorized: true };
  }
  return false;
}

const pool = new pg.Pool({
  connectionString: config.database.url,
  max: config.database.poolMax,
  ssl: sslOptions(config.database.ssl, config.database.ca),
  connectionTimeoutMillis: 5000,
  idleTimeoutMillis: 30000,
  // Set per session by the server: a runaway query or a transaction left open
  // cannot hold locks and connections forever.
  statement_timeout: config.database.statementTimeoutMs,
  idle_in_transaction_session_timeout: config.database.idleInTransactionTimeoutMs,
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
