'use strict';

// Reads the environment once at startup (a .env file is loaded when present),
// validates every value and exposes one frozen object. A bad or missing value
// stops the process here, naming the variable, instead of failing later.
require('dotenv').config({ quiet: true });

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const SSL_MODES = ['disable', 'require', 'verify-full'];

const problems = [];

function text(name, fallback) {
  const value = process.env[name];
  return value === undefined || value.trim() === '' ? fallback : value.trim();
}

function required(name) {
  const value = text(name, undefined);
  if (value === undefined) {
    problems.push(`${name} is required`);
  }
  return value;
}

function integer(name, fallback, min, max) {
  const raw = text(name, undefined);
  if (raw === undefined) {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
    return fallback;
  }
  return value;
}

function oneOf(name, allowed, fallback) {
  const value = text(name, fallback);
  if (!allowed.includes(value)) {
    problems.push(`${name} must be one of ${allowed.join(', ')}, got "${value}"`);
    return fallback;
  }
  return value;
}

const env = text('NODE_ENV', 'development');

const config = Object.freeze({
  env,
  isProduction: env === 'production',
  port: integer('PORT', 3000, 1, 65535),
  apiPrefix: '/api/v1',
  database: Object.freeze({
    url: required('DATABASE_URL'),
    ssl: oneOf('DATABASE_SSL', SSL_MODES, 'disable'),
    poolMax: integer('DATABASE_POOL_MAX', 10, 1, 1000),
  }),
  logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
  corsOrigin: text('CORS_ORIGIN', '*'),
  jsonBodyLimit: text('JSON_BODY_LIMIT', '100kb'),
});

if (problems.length > 0) {
  throw new Error(`Invalid configuration (see .env.example):\n  - ${problems.join('\n  - ')}`);
}

module.exports = { config };
