-- Accounts are rows of "users" (POST /auth/register, /auth/login): the
-- password hash is never returned by the API.
ALTER TABLE "users" ADD COLUMN "password_hash" text;

-- Refresh tokens, one row per token issued: only the SHA-256 of a token is stored. A
-- refresh retires its row (rotated_at) and adds the next one in the same family (one
-- sign-in); presenting a retired token again revokes the whole family. Deleting the
-- account deletes its rows, and with them every session.
CREATE TABLE "auth_sessions" (
  "id" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  "family" uuid NOT NULL,
  "user_id" uuid NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
  "token_hash" bytea NOT NULL UNIQUE,
  "expires_at" timestamptz NOT NULL,
  "rotated_at" timestamptz,
  "revoked_at" timestamptz,
  "created_at" timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ON "auth_sessions" ("family");
CREATE INDEX ON "auth_sessions" ("user_id");
