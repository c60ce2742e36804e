DROP TABLE IF EXISTS "auth_sessions";
ALTER TABLE "authors" DROP COLUMN IF EXISTS "role";
ALTER TABLE "authors" DROP COLUMN IF EXISTS "password_hash";

