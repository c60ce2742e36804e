-- Accounts that can sign in (POST /auth/register, /auth/login). Kept apart
-- from the spec's own tables so the domain model stays the user's design.
CREATE TABLE "auth_accounts" (
  "id" uuid NOT NULL DEFAULT gen_random_uuid(),
  "email" varchar(255) NOT NULL,
  "password_hash" text NOT NULL,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "auth_accounts_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "auth_accounts_email_key" UNIQUE ("email")
);
