"""What every PostgreSQL stack shares: one spec field as a column (`columns`, `keys`), the
initial migration and seed rows (`ddl`, `ddl_extras`, `samples`), the schema a migration
creates (`schema_snapshot`) and the next append-only migration between two schemas
(`evolve`, with its stack-neutral result types in `evolution`).

Nothing here knows a target language: a stack hands in its table and project contexts
(anything shaped like `tables.SqlTable` / `tables.SqlProject`) and renders the SQL text
into its own files. This package never imports `backforge.stacks` or `backforge.rest`.
"""
