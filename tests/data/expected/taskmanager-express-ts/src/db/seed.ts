import fs from 'node:fs/promises';
import path from 'node:path';
import { closePool } from './pool';
import { withTransaction } from './index';

// Usage: tsx src/db/seed.ts (node dist/db/seed.js) — runs seeds/*.sql in name order in one
// transaction. The sample rows use fixed keys and ON CONFLICT DO NOTHING, so
// seeding twice changes nothing.
const SEEDS_DIR = path.join(__dirname, '..', '..', 'seeds');

async function seed(): Promise<string[]> {
  const files = (await fs.readdir(SEEDS_DIR)).filter((file) => file.endsWith('.sql')).sort();
  await withTransaction(async (client) => {
    // References that close a cycle are DEFERRABLE: check them at commit.
    await client.query('SET CONSTRAINTS ALL DEFERRED');
    for (const file of files) {
      await client.query(await fs.readFile(path.join(SEEDS_DIR, file), 'utf8'));
    }
  });
  return files;
}

if (require.main === module) {
  seed()
    .then((files) => console.log(`seeded: ${files.join(', ')}`))
    .catch((err: unknown) => {
      console.error(`seeding failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    })
    .finally(closePool);
}

export { seed };
