DROP TABLE IF EXISTS "auth_accounts";
