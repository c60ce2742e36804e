// Reads the environment once at startup (a .env file is loaded when present),
// validates every value and exposes one frozen object. A bad or missing value
// stops the process here, naming the variable, instead of failing later.
//
// It fails closed: only NODE_ENV=development or NODE_ENV=test relax the production
// rules (weak secrets, CORS *, docs on by default). Unset, "prod", "Production" or
// anything else counts as production.
import fs from 'node:fs';
import net from 'node:net';
import dotenv from 'dotenv';

dotenv.config({ quiet: true });

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const SSL_MODES = ['disable', 'require', 'verify-full'] as const;
const RELAXED_ENVS = ['development', 'test'];
const EXAMPLE_SECRET = 'change-me-to-a-long-random-secret-of-32-chars-or-more';
const MIN_SECRET_BYTES = 32;
const MIN_SECRET_DISTINCT = 10;
const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

// At most `limit` requests per key in each window of `windowMs`.
export interface Rate {
  readonly limit: number;
  readonly windowMs: number;
}

const problems: string[] = [];

function text<T extends string | undefined>(name: string, fallback: T): string | T {
  const value = process.env[name];
  return value === undefined || value.trim() === '' ? fallback : value.trim();
}

function required(name: string): string | undefined {
  const value = text(name, undefined);
  if (value === undefined) {
    problems.push(`${name} is required`);
  }
  return value;
}

function integer<T extends number | false>(name: string, fallback: T, min: number,
  max: number): number | T {
  const raw = text(name, undefined);
  if (raw === undefined) {
    return fallback;
  }
  const value = /^-?\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
    return fallback;
  }
  return value;
}

function boolean(name: string, fallback: boolean): boolean {
  const raw = text(name, undefined);
  if (raw === undefined) {
    return fallback;
  }
  const words: Record<string, boolean> = {
    true: true, 1: true, yes: true, false: false, 0: false, no: false,
  };
  const value = words[raw.toLowerCase()];
  if (value === undefined) {
    problems.push(`${name} must be true or false, got "${raw}"`);
    return fallback;
  }
  return value;
}

function oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
  const value = text(name, fallback);
  if (!(allowed as readonly string[]).includes(value)) {
    problems.push(`${name} must be one of ${allowed.join(', ')}, got "${value}"`);
    return fallback;
  }
  return value as T;
}

// A size as the body parser reads it: 100kb, 1mb, 512b.
function size(name: string, fallback: string): string {
  const value = text(name, fallback).toLowerCase();
  if (!/^\d{1,9}(b|kb|mb)$/.test(value)) {
    problems.push(`${name} must be a size like 100kb or 1mb, got "${value}"`);
    return fallback;
  }
  return value;
}

function databaseUrl(name: string): string | undefined {
  const raw = required(name);
  if (raw === undefined) {
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`${name} must be a URL like postgres://user:password@host:5432/database`);
    return undefined;
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    problems.push(`${name} must start with postgres:// or postgresql://, got "${url.protocol}"`);
  }
  // node-postgres lets sslmode in the URL override the TLS options built from DATABASE_SSL.
  if (url.searchParams.has('sslmode')) {
    problems.push(`${name} must not carry sslmode: set DATABASE_SSL instead`);
  }
  return raw;
}

function host(name: string, fallback: string): string {
  const value = text(name, fallback);
  if (net.isIP(value) === 0 && !/^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/.test(value)) {
    problems.push(`${name} must be an IP address or a host name, got "${value}"`);
    return fallback;
  }
  return value;
}

function isCidr(value: string): boolean {
  const [address, bits, extra] = value.split('/');
  const family = net.isIP(address ?? '');
  if (family === 0 || extra !== undefined) {
    return false;
  }
  return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

// What Express's `trust proxy` accepts: false, true, a hop count, or addresses,
// CIDR ranges and the names loopback / linklocal / uniquelocal.
function trustProxy(name: string): boolean | number | string[] {
  const raw = text(name, 'false');
  if (['false', 'true'].includes(raw.toLowerCase())) {
    return raw.toLowerCase() === 'true';
  }
  if (/^\d+$/.test(raw)) {
    return integer(name, false, 0, 100);
  }
  const list = raw.split(',').map((part) => part.trim());
  const named = ['loopback', 'linklocal', 'uniquelocal'];
  const bad = list.filter((part) => !named.includes(part) && !isCidr(part));
  if (bad.length > 0) {
    problems.push(`${name} must be true, false, a hop count or addresses/CIDR ranges, ` +
      `got "${bad[0]}"`);
    return false;
  }
  return list;
}

function corsOrigins(name: string, relaxed: boolean): '*' | string[] {
  const list = text(name, '').split(',').map((part) => part.trim()).filter(Boolean);
  if (list.includes('*')) {
    if (!relaxed) {
      problems.push(`${name} must list origins, not *, unless NODE_ENV is development or test`);
    }
    return '*';
  }
  for (const origin of list) {
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {
      url = undefined;
    }
    if (!url || !['http:', 'https:'].includes(url.protocol) || url.origin !== origin) {
      problems.push(`${name} must be comma-separated origins like https://app.example.com, ` +
        `got "${origin}"`);
    }
  }
  return list;
}

function caFile(name: string, sslMode: string): string | undefined {
  const path = text(name, undefined);
  if (path === undefined || sslMode !== 'verify-full') {
    return undefined;
  }
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (err) {
    const error = err as NodeJS.ErrnoException;
    problems.push(`${name} cannot be read: ${error.code ?? error.message}`);
    return undefined;
  }
}

function secret(name: string, relaxed: boolean): string | undefined {
  const value = required(name);
  if (value === undefined || relaxed) {
    return value;
  }
  if (value === EXAMPLE_SECRET) {
    problems.push(`${name} still has the example value from .env.example`);
  } else if (Buffer.byteLength(value) < MIN_SECRET_BYTES) {
    problems.push(`${name} must be at least ${MIN_SECRET_BYTES} bytes long`);
  } else if (new Set(value).size < MIN_SECRET_DISTINCT) {
    problems.push(`${name} is too predictable: use at least ${MIN_SECRET_DISTINCT} ` +
      'different characters (e.g. openssl rand -hex 32)');
  }
  return value;
}

// <integer><unit> with s, m, h or d, as seconds; a bare number would mean milliseconds to
// jsonwebtoken, so a unit is required.
function seconds(value: string): number {
  const match = /^(\d{1,6})([smhd])$/.exec(value);
  return match ? Number(match[1]) * (DURATION_UNITS[match[2] ?? ''] ?? 0) : 0;
}

// A duration as jsonwebtoken reads it ('15m'), checked against a ceiling in seconds.
function duration(name: string, fallback: string, maxSeconds: number): string {
  const value = text(name, fallback);
  const secs = seconds(value);
  if (secs < 1 || secs > maxSeconds) {
    problems.push(`${name} must be a duration like 15m, 1h or 7d (at most ${maxSeconds / 86400}d), ` +
      `got "${value}"`);
    return fallback;
  }
  return value;
}

// count/window (100/15m) as { limit, windowMs }; undefined when malformed.
function parseRate(value: string): Rate | undefined {
  const [count, window, extra] = value.split('/');
  const limit = /^\d{1,7}$/.test(count ?? '') ? Number(count) : 0;
  const windowSeconds = seconds(window ?? '');
  if (extra !== undefined || limit < 1 || windowSeconds < 1 || windowSeconds > 86400) {
    return undefined;
  }
  return Object.freeze({ limit, windowMs: windowSeconds * 1000 });
}

// At most `limit` requests per key in each window; 0 turns the limiter off (null).
function rateLimit(name: string, fallback: string): Rate | null {
  const value = text(name, fallback);
  if (value === '0') {
    return null;
  }
  const rate = parseRate(value);
  if (rate === undefined) {
    problems.push(`${name} must be count/window like 100/15m (window at most 1d) or 0, ` +
      `got "${value}"`);
    return parseRate(fallback) ?? null;
  }
  return rate;
}

function redisUrl(name: string): string | undefined {
  const raw = text(name, undefined);
  if (raw === undefined) {
    return undefined;
  }
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || !['redis:', 'rediss:'].includes(url.protocol)) {
    problems.push(`${name} must be a URL like redis://host:6379 or rediss://host:6380`);
    return undefined;
  }
  return raw;
}

const env = text('NODE_ENV', 'production');
const relaxed = RELAXED_ENVS.includes(env);
const sslMode = oneOf('DATABASE_SSL', SSL_MODES, 'disable');
const refreshTtl = duration('REFRESH_TOKEN_TTL', '30d', 366 * 86400);

const config = Object.freeze({
  env,
  isProduction: !relaxed,
  host: host('HOST', '127.0.0.1'),
  port: integer('PORT', 3000, 1, 65535),
  apiPrefix: '/api/v1',
  trustProxy: trustProxy('TRUST_PROXY'),
  // Above the 60 s idle timeout of AWS and most load balancers: the balancer, not
  // the app, closes idle connections, so it never reuses one the app just closed.
  keepAliveTimeoutMs: integer('KEEP_ALIVE_TIMEOUT_MS', 65000, 1000, 3600000),
  headersTimeoutMs: integer('HEADERS_TIMEOUT_MS', 66000, 1000, 3600000),
  database: Object.freeze({
    url: databaseUrl('DATABASE_URL'),
    ssl: sslMode,
    ca: caFile('DATABASE_CA_FILE', sslMode),
    poolMax: integer('DATABASE_POOL_MAX', 10, 1, 1000),
    statementTimeoutMs: integer('DATABASE_STATEMENT_TIMEOUT_MS', 15000, 0, 3600000),
    idleInTransactionTimeoutMs: integer('DATABASE_IDLE_TX_TIMEOUT_MS', 60000, 0, 3600000),
  }),
  logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
  corsOrigins: corsOrigins('CORS_ORIGINS', relaxed),
  docsEnabled: boolean('DOCS_ENABLED', relaxed),
  jsonBodyLimit: size('JSON_BODY_LIMIT', '100kb'),
  redisUrl: redisUrl('REDIS_URL'),
  rateLimits: Object.freeze({
    global: rateLimit('RATE_LIMIT_GLOBAL', '1000/1m'),
    authIp: rateLimit('RATE_LIMIT_AUTH_IP', '100/15m'),
    authAccount: rateLimit('RATE_LIMIT_AUTH_ACCOUNT', '10/15m'),
  }),
  auth: Object.freeze({
    jwtSecret: secret('JWT_SECRET', relaxed),
    jwtExpiresIn: duration('JWT_EXPIRES_IN', '15m', 86400),
    refreshTtl,
    refreshTtlSeconds: seconds(refreshTtl),
    scryptCost: integer('SCRYPT_COST', 15, 10, 20),
  }),
});

if (config.headersTimeoutMs <= config.keepAliveTimeoutMs) {
  problems.push('HEADERS_TIMEOUT_MS must be greater than KEEP_ALIVE_TIMEOUT_MS');
}

if (problems.length > 0) {
  throw new Error(`Invalid configuration (see .env.example):\n  - ${problems.join('\n  - ')}`);
}

export { config };
