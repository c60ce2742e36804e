'use strict';

// Shared by every suite: the app under supertest, a real database reset to
// empty tables, and small request helpers.
// Suites run against TEST_DATABASE_URL when set, else DATABASE_URL: they
// migrate it and delete every row, so never point them at real data.
require('dotenv').config({ quiet: true });

if (process.env.TEST_DATABASE_URL) {
  process.env.DATABASE_URL = process.env.TEST_DATABASE_URL;
} else {
  // The suites empty every table: refuse a database that is not plainly a test one.
  let name;
  try {
    name = decodeURIComponent(new URL(process.env.DATABASE_URL ?? '').pathname.slice(1));
  } catch {
    name = '';
  }
  if (!name.endsWith('_test')) {
    throw new Error(
      'Refusing to run the tests: they delete every row of the database they use. '
        + 'Set TEST_DATABASE_URL to a throw-away database, or use a DATABASE_URL whose '
        + `database name ends in _test (got "${name || 'none'}").`,
    );
  }
}
process.env.LOG_LEVEL ??= 'silent';
// Rate limit counters in memory, one set per suite's app: a REDIS_URL from .env would
// share them between suites (and with a running server).
process.env.REDIS_URL = '';

const request = require('supertest');
const { createApp } = require('../src/app');
const { withTransaction, closePool } = require('../src/db');
const { migrateUp } = require('../src/db/migrate');
const { config } = require('../src/utils/config');

const app = createApp();
// Children before parents; references that close a cycle are DEFERRABLE.
const CLEAR_TABLES = [
  'DELETE FROM "reviews"',
  'DELETE FROM "order_items"',
  'DELETE FROM "orders"',
  'DELETE FROM "product_categories"',
  'DELETE FROM "products"',
  'DELETE FROM "categories"',
  'DELETE FROM "addresses"',
  'DELETE FROM "customers"',
];

function api() {
  return request(app);
}

function apiPath(path) {
  return `${config.apiPrefix}${path}`;
}

// The path of one item: collection + encoded key values.
function itemPath(collection, keyValues) {
  // Values come from JSON bodies, where a timestamp is already an ISO string.
  return collection + keyValues.map((value) => `/${encodeURIComponent(String(value))}`).join('');
}

// Migrates, then empties every table. DELETE is much faster than TRUNCATE on
// the many small tables of a test database.
async function resetDatabase() {
  await migrateUp();
  await withTransaction(async (client) => {
    await client.query('SET CONSTRAINTS ALL DEFERRED');
    for (const statement of CLEAR_TABLES) {
      await client.query(statement);
    }
  });
}

async function closeDatabase() {
  await closePool();
}

// An app built in a fresh module registry with these environment overrides: its own
// configuration, rate limit counters and database pool (close() ends the pool).
function isolatedApp(overrides) {
  const before = Object.fromEntries(Object.keys(overrides).map((name) => [name, process.env[name]]));
  let built;
  jest.isolateModules(() => {
    Object.assign(process.env, overrides);
    try {
      built = { app: require('../src/app').createApp(), db: require('../src/db') };
    } finally {
      for (const [name, value] of Object.entries(before)) {
        if (value === undefined) {
          delete process.env[name];
        } else {
          process.env[name] = value;
        }
      }
    }
  });
  return { api: () => request(built.app), close: () => built.db.closePool() };
}

// Auth is off for this API: no headers needed.
async function authHeaders() {
  return {};
}

// POSTs a row and returns it; fails loudly with the answer when it is not a 201.
async function createRecord(collection, body, headers) {
  const res = await api().post(apiPath(collection)).set(headers).send(body);
  if (res.status !== 201) {
    throw new Error(`POST ${collection} answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  return res.body;
}

module.exports = {
  api,
  apiPath,
  itemPath,
  resetDatabase,
  closeDatabase,
  isolatedApp,
  authHeaders,
  createRecord,
};
