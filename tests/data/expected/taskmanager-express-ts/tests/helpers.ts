// Shared by every suite: the app under supertest, a real database reset to
// empty tables, a token for the write routes, and small request helpers.
// vitest.config.ts points the suites at TEST_DATABASE_URL (or a DATABASE_URL whose
// database name ends in _test) before any of this loads: they migrate it and delete
// every row, so never point them at real data.
import request from 'supertest';
import { vi } from 'vitest';
import type { Response } from 'supertest';
import { createApp } from '../src/app';
import { query, withTransaction, closePool } from '../src/db';
import { migrateUp } from '../src/db/migrate';
import { config } from '../src/utils/config';

const app = createApp();
// Children before parents; references that close a cycle are DEFERRABLE.
const CLEAR_TABLES = [
  'DELETE FROM "comments"',
  'DELETE FROM "tasks"',
  'DELETE FROM "projects"',
  'DELETE FROM "users"',
];

function api(): ReturnType<typeof request> {
  return request(app);
}

function apiPath(path: string): string {
  return `${config.apiPrefix}${path}`;
}

// The path of one item: collection + encoded key values.
function itemPath(collection: string, keyValues: unknown[]): string {
  // Values come from JSON bodies, where a timestamp is already an ISO string.
  return collection + keyValues.map((value) => `/${encodeURIComponent(String(value))}`).join('');
}

// Migrates, then empties every table. DELETE is much faster than TRUNCATE on
// the many small tables of a test database.
async function resetDatabase(): Promise<void> {
  await migrateUp();
  await withTransaction(async (client) => {
    await client.query('SET CONSTRAINTS ALL DEFERRED');
    for (const statement of CLEAR_TABLES) {
      await client.query(statement);
    }
  });
}

async function closeDatabase(): Promise<void> {
  await closePool();
}

// An app built from a fresh module registry with these environment overrides: its own
// configuration, rate limit counters and database pool (close() ends the pool).
async function isolatedApp(overrides: Record<string, string>):
  Promise<{ api: () => ReturnType<typeof request>; close: () => Promise<void> }> {
  const before = Object.fromEntries(Object.keys(overrides).map((name) => [name, process.env[name]]));
  vi.resetModules();
  Object.assign(process.env, overrides);
  try {
    const built = (await import('../src/app.js')).createApp();
    const db = await import('../src/db/index.js');
    return { api: () => request(built), close: () => db.closePool() };
  } finally {
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) {
        Reflect.deleteProperty(process.env, name);
      } else {
        process.env[name] = value;
      }
    }
  }
}

let accounts = 0;

// A register body: sample values of the account's fields, its own login, a password.
const ACCOUNT = { email: 'user5@example.com', display_name: 'Display name 5', password: 'unused' };
const LOGIN = 'email';

// A register body no other account of this run has used.
function newAccount(): Record<string, unknown> {
  accounts += 1;
  const login = `tester${accounts}@example.com`;
  return { ...ACCOUNT, [LOGIN]: login, password: 'a long test passphrase' };
}

// Registers a fresh account and returns headers carrying its bearer token.
async function authHeaders(): Promise<Record<string, string>> {
  const account = newAccount();
  const login = account[LOGIN];
  await api().post(apiPath('/auth/register')).send(account).expect(201);
  const credentials = { [LOGIN]: login, password: account.password };
  const res: Response = await api().post(apiPath('/auth/login')).send(credentials).expect(200);
  return { Authorization: `Bearer ${String((res.body as { token: string }).token)}` };
}

// What `npm run create-admin` runs (src/auth/create-admin.ts): there is no API route
// that makes an admin.
const PROMOTE = 'UPDATE "users" SET "role" = \'admin\' WHERE "email" = $1';

// Registers a fresh account, gives it the admin role and returns its headers.
async function adminHeaders(): Promise<Record<string, string>> {
  const account = newAccount();
  await api().post(apiPath('/auth/register')).send(account).expect(201);
  const promoted = await query(PROMOTE, [account[LOGIN]]);
  if (promoted.rowCount !== 1) {
    throw new Error(`could not make ${String(account[LOGIN])} an admin`);
  }
  const credentials = { [LOGIN]: account[LOGIN], password: account.password };
  const res: Response = await api().post(apiPath('/auth/login')).send(credentials).expect(200);
  return { Authorization: `Bearer ${String((res.body as { token: string }).token)}` };
}

// POSTs a row and returns it; fails loudly with the answer when it is not a 201.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function createRecord(collection: string, body: object, headers: Record<string, string>): Promise<any> {
  const res = await api().post(apiPath(collection)).set(headers).send(body);
  if (res.status !== 201) {
    throw new Error(`POST ${collection} answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  return res.body;
}

export {
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
