"""What every REST stack shares: the JSON Schemas of a table's requests and responses
(`schemas`) and the API impact of a schema change (`apidiff`), computed from the resource
model a stack builds (anything shaped like `resources.RestTable` / `resources.RestProject`).

Nothing here renders a target language. This package may use `backforge.sql` (a REST
resource is a PostgreSQL table here) and never imports `backforge.stacks`.
"""
