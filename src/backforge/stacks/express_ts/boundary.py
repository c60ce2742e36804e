"""What express-ts units may write and what their code may use (see express-js's
boundary for the reasoning; the same rules over the TypeScript files): only
src/utils/config.ts reads process.env (and the test helper), package.json has exactly
these scripts and packages from deps.VERSIONS.

`lint` runs the compiler first (`tsc --noEmit`): verify's lint step then proves the
project type-checks with zero errors. `npm start` builds dist/ first, so it runs what
production runs, but without a second type check (`--noCheck`: emit only, safe with
isolatedModules; the types never change the emitted JavaScript): the check is lint's,
typecheck's and build's job, and skipping it halves start-up. Docker builds dist/ with
the full check in its own stage and starts node on it.
"""

from __future__ import annotations

from backforge.express.boundary import express_policy
from backforge.stacks.express_ts.deps import VERSIONS

CONFIG_MODULE = "src/utils/config.ts"

SCRIPTS: dict[str, str] = {
    "build": "tsc -p tsconfig.build.json",
    # .npmrc turns scripts off (ignore-scripts), prestart included: start builds itself
    "start": "tsc -p tsconfig.build.json --noCheck && node dist/index.js",
    "dev": "tsx watch src/index.ts",
    "typecheck": "tsc --noEmit",
    "migrate": "tsx src/db/migrate.ts up",
    "migrate:down": "tsx src/db/migrate.ts down",
    "migrate:status": "tsx src/db/migrate.ts status",
    "seed": "tsx src/db/seed.ts",
    "create-admin": "tsx src/auth/create-admin.ts",
    "lint": "tsc --noEmit && eslint .",
    "test": "vitest run --no-file-parallelism",
}

POLICY = express_policy(".ts", VERSIONS, SCRIPTS, test_config=("vitest.config.ts",))
