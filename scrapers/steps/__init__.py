"""Pipeline steps: each reads its input from Postgres and writes its output there."""
