-- Accounts are rows of "authors" (POST /auth/register, /auth/login): the
-- password hash is never returned by the API; the role decides what an account may do.
ALTER TABLE "authors" ADD COLUMN "password_hash" text;
ALTER TABLE "authors" ADD COLUMN "role" text NOT NULL DEFAULT 'user'
  CONSTRAINT "authors_role_check" CHECK ("role" IN ('user', 'admin'));
