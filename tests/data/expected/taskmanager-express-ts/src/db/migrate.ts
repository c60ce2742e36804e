import fs from 'node:fs/promises';
import path from 'node:path';
import type { PoolClient } from 'pg';
import { pool, closePool } from './pool';

// Usage: tsx src/db/migrate.ts (node dist/db/migrate.js) up | down [steps|all] | status
// Migrations are migrations/NNNN_name.up.sql with a matching .down.sql, run in
// name order, each inside its own transaction, recorded in schema_migrations.
const MIGRATIONS_DIR = path.join(__dirname, '..', '..', 'migrations');
const CREATE_TABLE = 'CREATE TABLE IF NOT EXISTS "schema_migrations" ('
  + '"name" text PRIMARY KEY, "applied_at" timestamptz NOT NULL DEFAULT now())';
const SELECT_APPLIED = 'SELECT "name" FROM "schema_migrations" ORDER BY "name"';
const INSERT_APPLIED = 'INSERT INTO "schema_migrations" ("name") VALUES ($1)';
const DELETE_APPLIED = 'DELETE FROM "schema_migrations" WHERE "name" = $1';
// One migrator at a time, even across processes (several containers starting).
const LOCK_ID = 7316238;

interface Migration {
  name: string;
  up: string;
  down: string;
}

async function listMigrations(): Promise<Migration[]> {
  const files = await fs.readdir(MIGRATIONS_DIR);
  return files
    .filter((file) => /^\d+_[\w-]+\.up\.sql$/.test(file))
    .sort()
    .map((file) => {
      const name = file.slice(0, -'.up.sql'.length);
      return { name, up: `${name}.up.sql`, down: `${name}.down.sql` };
    });
}

async function readMigration(file: string): Promise<string> {
  return fs.readFile(path.join(MIGRATIONS_DIR, file), 'utf8');
}

async function withLock<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_ID]);
    try {
      await client.query(CREATE_TABLE);
      return await work(client);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [LOCK_ID]);
    }
  } finally {
    client.release();
  }
}

async function inTransaction(client: PoolClient, work: () => Promise<void>): Promise<void> {
  await client.query('BEGIN');
  try {
    await work();
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  }
}

async function appliedNames(client: PoolClient): Promise<string[]> {
  const result = await client.query<{ name: string }>(SELECT_APPLIED);
  return result.rows.map((row) => row.name);
}

// Applies every pending migration; returns the names applied.
async function migrateUp(): Promise<string[]> {
  return withLock(async (client) => {
    const applied = new Set(await appliedNames(client));
    const done: string[] = [];
    for (const migration of await listMigrations()) {
      if (applied.has(migration.name)) {
        continue;
      }
      const sql = await readMigration(migration.up);
      await inTransaction(client, async () => {
        await client.query(sql);
        await client.query(INSERT_APPLIED, [migration.name]);
      });
      done.push(migration.name);
    }
    return done;
  });
}

// Reverts the last `steps` applied migrations (Infinity: all); returns their names.
async function migrateDown(steps = 1): Promise<string[]> {
  return withLock(async (client) => {
    const known = new Map((await listMigrations()).map((m) => [m.name, m]));
    const applied = (await appliedNames(client)).reverse().slice(0, steps);
    const done: string[] = [];
    for (const name of applied) {
      const migration = known.get(name);
      if (migration === undefined) {
        throw new Error(`migration ${name} was applied but its files are missing`);
      }
      const sql = await readMigration(migration.down);
      await inTransaction(client, async () => {
        await client.query(sql);
        await client.query(DELETE_APPLIED, [name]);
      });
      done.push(name);
    }
    return done;
  });
}

async function migrationStatus(): Promise<{ name: string; applied: boolean }[]> {
  return withLock(async (client) => {
    const applied = new Set(await appliedNames(client));
    return (await listMigrations()).map((m) => ({ name: m.name, applied: applied.has(m.name) }));
  });
}

function parseSteps(arg: string | undefined): number {
  if (arg === undefined) {
    return 1;
  }
  if (arg === 'all') {
    return Infinity;
  }
  const steps = Number(arg);
  if (!Number.isInteger(steps) || steps < 1) {
    throw new Error(`steps must be a positive integer or "all", got "${arg}"`);
  }
  return steps;
}

async function main([command = 'up', arg]: string[]): Promise<void> {
  if (command === 'up') {
    const done = await migrateUp();
    console.log(done.length > 0 ? `applied: ${done.join(', ')}` : 'already up to date');
  } else if (command === 'down') {
    const done = await migrateDown(parseSteps(arg));
    console.log(done.length > 0 ? `reverted: ${done.join(', ')}` : 'nothing to revert');
  } else if (command === 'status') {
    for (const m of await migrationStatus()) {
      console.log(`${m.applied ? 'applied' : 'pending'}  ${m.name}`);
    }
  } else {
    throw new Error(`unknown command "${command}": use up, down [steps|all] or status`);
  }
}

if (require.main === module) {
  main(process.argv.slice(2))
    .catch((err: unknown) => {
      console.error(`migration failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    })
    .finally(closePool);
}

export { listMigrations, migrateUp, migrateDown, migrationStatus };
