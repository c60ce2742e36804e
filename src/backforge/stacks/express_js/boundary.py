"""What express-js units may write and what their code may use: the stack's half of the
output boundary (backforge.express.boundary; the validator enforces it for every
provider, templates included).

- Only `src/utils/config.js` reads `process.env`; the test helper (`tests/helpers.js`)
  may too: it points the config at the test database before the app loads, and tests
  run only inside `verify`, against a throw-away database.
- Besides their declared files, units may add helpers only in their own source folder;
  config, app, docker and terraform never get extra files. The migrations unit may
  write numbered migrations (a regeneration appends the evolution's; the unit already
  writes 0001, which `npm run migrate` runs, so this widens nothing), nothing else.
- package.json is the config unit's, with exactly the scripts below and packages from
  deps.VERSIONS: no install hooks, no other packages.
"""

from __future__ import annotations

from backforge.express.boundary import express_policy
from backforge.stacks.express_js.deps import VERSIONS

CONFIG_MODULE = "src/utils/config.js"

# Every script the generated package.json has (render.package_json picks from these).
SCRIPTS: dict[str, str] = {
    "start": "node src/index.js",
    "dev": "node --watch src/index.js",
    "migrate": "node src/db/migrate.js up",
    "migrate:down": "node src/db/migrate.js down",
    "migrate:status": "node src/db/migrate.js status",
    "seed": "node src/db/seed.js",
    "create-admin": "node src/auth/create-admin.js",
    "lint": "eslint .",
    "test": "jest --runInBand",
}

POLICY = express_policy(".js", VERSIONS, SCRIPTS)
