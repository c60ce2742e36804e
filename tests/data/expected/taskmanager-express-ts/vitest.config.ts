import dotenv from 'dotenv';
import { defineConfig } from 'vitest/config';

// The suites empty every table of the database they use. They run against
// TEST_DATABASE_URL when set, else a DATABASE_URL whose database name ends in _test;
// anything else is refused here, before the app (and its config) loads.
dotenv.config({ quiet: true });

function testDatabaseUrl(): string {
  if (process.env.TEST_DATABASE_URL) {
    return process.env.TEST_DATABASE_URL;
  }
  let name: string;
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
  return process.env.DATABASE_URL ?? '';
}

// One database for every suite: files run one after another (like jest --runInBand).
export default defineConfig({
  test: {
    environment: 'node',
    include: ['tests/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 20000,
    hookTimeout: 30000,
    env: {
      DATABASE_URL: testDatabaseUrl(),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
      // Rate limit counters in memory, one set per suite's app: a REDIS_URL from .env
      // would share them between suites (and with a running server).
      REDIS_URL: '',
      JWT_SECRET: process.env.JWT_SECRET ?? 'test-only-secret-that-is-long-enough-for-hs256',
      // The cheapest scrypt cost unless a suite asks for more: the suites hash many passwords.
      SCRYPT_COST: process.env.SCRYPT_COST ?? '10',
    },
  },
});
