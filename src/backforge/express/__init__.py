"""What every Express + node-postgres stack shares, whatever its language (express-js,
express-ts): the contexts templates render from (JS-family identifiers, Express paths,
env vars), custom endpoints, the access policy as routes and SQL see it, node-postgres
SQL fragments, JS literals, the plans of the generated API tests, the API contract
`verify` runs, the renderer over a stack's templates, and the lockfile store.

A stack adds its module table, templates, dependency set and the Flavor the renderer
takes. Imports: spec, plan, sql, rest, render, engine.protocols, errors (and verify's
Probe for the contract); never a stack.
"""
