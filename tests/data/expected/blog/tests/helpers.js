'use strict';

// Shared by every suite: the app under supertest, a real database reset to
// empty tables, a token for the write routes, and small request helpers.
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
process.env.JWT_SECRET ??= 'test-only-secret-that-is-long-enough-for-hs256';
// The cheapest scrypt cost unless a suite asks for more: the suites hash many passwords.
process.env.SCRYPT_COST ??= '10';

const request = require('supertest');
const { createApp } = require('../src/app');
const { query, withTransaction, closePool } = require('../src/db');
const { migrateUp } = require('../src/db/migrate');
const { config } = require('../src/utils/config');

const app = createApp();
// Children before parents; references that close a cycle are DEFERRABLE.
const CLEAR_TABLES = [
  'DELETE FROM "post_tags"',
  'DELETE FROM "tags"',
  'DELETE FROM "posts"',
  'DELETE FROM "authors"',
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

let accounts = 0;

// A register body: sample values of the account's fields, its own login, a password.
const ACCOUNT = {
  name: 'Name 5',
  email: 'user5@example.com',
  bio: 'Sample bio 5.',
  createdAt: '2024-06-06T10:30:00Z',
  password: 'unused',
};
const LOGIN = 'email';

// A register body no other account of this run has used.
function newAccount() {
  accounts += 1;
  const login = `tester${accounts}@example.com`;
  return { ...ACCOUNT, [LOGIN]: login, password: 'a long test passphrase' };
}

// Registers a fresh account and returns headers carrying its bearer token.
async function authHeaders() {
  const account = newAccount();
  const login = account[LOGIN];
  await api().post(apiPath('/auth/register')).send(account).expect(201);
  const credentials = { [LOGIN]: login, password: account.password };
  const res = await api().post(apiPath('/auth/login')).send(credentials).expect(200);
  return { Authorization: `Bearer ${res.body.token}` };
}

// What `npm run create-admin` runs (src/auth/create-admin.js): there is no API route
// that makes an admin.
const PROMOTE = 'UPDATE "authors" SET "role" = \'admin\' WHERE "email" = $1';

// Registers a fresh account, gives it the admin role and returns its headers.
async function adminHeaders() {
  const account = newAccount();
  await api().post(apiPath('/auth/register')).send(account).expect(201);
  const promoted = await query(PROMOTE, [account[LOGIN]]);
  if (promoted.rowCount !== 1) {
    throw new Error(`could not make ${account[LOGIN]} an admin`);
  }
  const credentials = { [LOGIN]: account[LOGIN], password: account.password };
  const res = await api().post(apiPath('/auth/login')).send(credentials).expect(200);
  return { Authorization: `Bearer ${res.body.token}` };
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
  newAccount,
  LOGIN,
  adminHeaders,
};
