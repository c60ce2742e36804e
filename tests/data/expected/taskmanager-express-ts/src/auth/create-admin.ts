// Gives an existing account the admin role: `npm run create-admin -- <email>`.
// There is no API route that makes an admin; whoever runs this has the database.
// Register the account first (POST /auth/register), then promote it here.
import { query, closePool } from '../db';

const ADMIN = 'admin';
const PROMOTE = 'UPDATE "users" SET "role" = \'admin\' WHERE "email" = $1';

async function main(argv: string[]): Promise<number> {
  const login = argv[2];
  if (!login) {
    process.stderr.write('usage: npm run create-admin -- <email>\n');
    return 2;
  }
  const result = await query(PROMOTE, [login.trim().toLowerCase()]);
  if (result.rowCount === 0) {
    process.stderr.write(`no account with email ${JSON.stringify(login)}: register it first\n`);
    return 1;
  }
  process.stdout.write(`${login} now has the role ${ADMIN}\n`);
  return 0;
}

main(process.argv)
  .then((code) => {
    process.exitCode = code;
  })
  .catch((err: unknown) => {
    process.stderr.write(`create-admin failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  })
  .finally(() => closePool());
