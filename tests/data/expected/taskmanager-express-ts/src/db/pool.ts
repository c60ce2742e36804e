import pg from 'pg';
import { config } from '../utils/config';
import { logger } from '../utils/logger';

const { builtins } = pg.types;

// Exact values: bigint and numeric stay strings (a JS number holds 2^53 and about 15
// digits; the API exchanges them as JSON strings). Each connection runs in UTC, so a
// timestamptz reads back as an ISO 8601 string with all its microseconds instead of
// a millisecond Date.
const TIMESTAMPTZ = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)\+00$/;
pg.types.setTypeParser(builtins.TIMESTAMPTZ, (value) => {
  const match = TIMESTAMPTZ.exec(value);
  return match === null ? value : `${match[1]}T${match[2]}Z`;
});
// A timestamp without time zone is read and written as UTC (the API accepts only Z for it).
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)$/;
pg.types.setTypeParser(builtins.TIMESTAMP, (value) => {
  const match = TIMESTAMP.exec(value);
  return match === null ? value : `${match[1]}T${match[2]}Z`;
});
// A DATE has no time zone: keep 'YYYY-MM-DD' instead of a local-midnight Date.
pg.types.setTypeParser(builtins.DATE, (value) => value);

// verify-full checks the certificate chain and the host name, against
// DATABASE_CA_FILE (e.g. the RDS bundle in the image) or Node's trusted CAs.
function sslOptions(mode: string, ca: string | undefined): false | { ca?: string; rejectUnauthorized: boolean } {
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
  options: '-c TimeZone=UTC',
});

// An idle client can lose its connection (database restart); the pool replaces it.
pool.on('error', (err) => {
  logger.error({ err }, 'idle database client failed');
});

let closing: Promise<void> | undefined;

function closePool(): Promise<void> {
  closing ??= pool.end();
  return closing;
}

export { pool, closePool };
