#!/bin/sh
# Task Manager container entrypoint: prepare DATABASE_URL, apply pending
# migrations, then replace this shell with the server so it receives signals.
set -eu

# On AWS the database password comes from Secrets Manager as DB_USER /
# DB_PASSWORD next to DB_HOST, DB_PORT, DB_NAME and DB_SSLMODE; the app only
# reads DATABASE_URL, so assemble it here. encodeURIComponent keeps passwords
# with URL-special characters (@ : / % #) intact.
if [ -z "${DATABASE_URL:-}" ] && [ -n "${DB_HOST:-}" ]; then
  # Single quotes on purpose: node, not sh, expands the ${...} in this script.
  # shellcheck disable=SC2016
  DATABASE_URL="$(node -e '
    const e = process.env;
    const enc = encodeURIComponent;
    const auth = `${enc(e.DB_USER || "")}:${enc(e.DB_PASSWORD || "")}`;
    const query = e.DB_SSLMODE ? `?sslmode=${enc(e.DB_SSLMODE)}` : "";
    const db = enc(e.DB_NAME || "task_manager");
    process.stdout.write(`postgres://${auth}@${e.DB_HOST}:${e.DB_PORT || "5432"}/${db}${query}`);
  ')"
  export DATABASE_URL
fi

# Set RUN_MIGRATIONS=false to start without migrating (e.g. a one-off task
# migrates instead). The runner applies each migration in a transaction.
if [ "${RUN_MIGRATIONS:-true}" = "true" ]; then
  echo "entrypoint: applying database migrations" >&2
  node dist/db/migrate.js up
fi

exec "$@"
