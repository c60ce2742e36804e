-- Accounts are rows of "users" (POST /auth/register, /auth/login): the
-- password hash is never returned by the API.
ALTER TABLE "users" ADD COLUMN "password_hash" text;
