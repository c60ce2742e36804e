'use strict';

const { query } = require('../db');
const { config } = require('../utils/config');
const { UnauthorizedError } = require('../utils/errors');
const { hashPassword, verifyPassword } = require('./password');
const { signAccessToken } = require('./tokens');

const ACCOUNT_COLUMNS = '"id" AS "id", "email" AS "email", "created_at" AS "createdAt"';
const INSERT_ACCOUNT = 'INSERT INTO "auth_accounts" ("email", "password_hash") VALUES ($1, $2) RETURNING '
  + ACCOUNT_COLUMNS;
const SELECT_BY_EMAIL = 'SELECT "id", "email", "password_hash" FROM "auth_accounts" WHERE "email" = $1';
const SELECT_BY_ID = 'SELECT ' + ACCOUNT_COLUMNS + ' FROM "auth_accounts" WHERE "id" = $1';
const FIELD_NAMES = Object.freeze({ email: 'email', auth_accounts_email_key: 'email' });

// Emails compare case-insensitively: store them lower-cased.
function normalizeEmail(email) {
  return email.trim().toLowerCase();
}

// A new account; a taken email answers 409 through the error handler.
async function registerAccount({ email, password }) {
  const passwordHash = await hashPassword(password);
  const result = await query(INSERT_ACCOUNT, [normalizeEmail(email), passwordHash], FIELD_NAMES);
  return result.rows[0];
}

// An access token for valid credentials. The same error for an unknown email
// and a wrong password, so the answer does not reveal which accounts exist.
async function login({ email, password }) {
  const result = await query(SELECT_BY_EMAIL, [normalizeEmail(email)]);
  const account = result.rows[0];
  const valid = account !== undefined && (await verifyPassword(password, account.password_hash));
  if (!valid) {
    throw new UnauthorizedError('Wrong email or password');
  }
  return { token: signAccessToken(account), tokenType: 'Bearer', expiresIn: config.auth.jwtExpiresIn };
}

async function getAccount(id) {
  const result = await query(SELECT_BY_ID, [id]);
  if (result.rows.length === 0) {
    throw new UnauthorizedError('The account of this token no longer exists');
  }
  return result.rows[0];
}

module.exports = { registerAccount, login, getAccount };
