'use strict';

// Fixed-window rate limits: at most `limit` requests per key in each window, then 429
// with Retry-After (seconds until the window ends). Counters live in memory, one set per
// app, unless REDIS_URL is set: then every instance behind the load balancer counts in
// the same Redis, so a client cannot multiply its budget by the number of instances.
// If Redis does not answer, limited routes answer 503 (fail closed) instead of letting
// unlimited password guesses through; src/index.js connects before it listens.
const crypto = require('node:crypto');
const net = require('node:net');
const { createClient } = require('@redis/client');
const { config } = require('../utils/config');
const { logger } = require('../utils/logger');
const { TooManyRequestsError, ServiceUnavailableError } = require('../utils/errors');

const PREFIX = 'rl:task-manager:';
const MAX_MEMORY_KEYS = 100000;
const SWEEP_EVERY_MS = 60000;
// INCR and PEXPIRE in one step: a window starts with its first hit, and a key never
// stays without an expiry.
const HIT = `local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}`;

class MemoryStore {
  constructor() {
    this.windows = new Map();
    this.sweptAt = Date.now();
  }

  async hit(key, windowMs) {
    const now = Date.now();
    this.sweep(now);
    let window = this.windows.get(key);
    if (window === undefined || window.resetAt <= now) {
      window = { count: 0, resetAt: now + windowMs };
      this.windows.delete(key);
      this.windows.set(key, window);
    }
    window.count += 1;
    return { count: window.count, resetMs: window.resetAt - now };
  }

  // Drops ended windows now and then; past MAX_MEMORY_KEYS the oldest go first, so a
  // flood of distinct keys cannot grow the map without bound.
  sweep(now) {
    if (now - this.sweptAt >= SWEEP_EVERY_MS || this.windows.size >= MAX_MEMORY_KEYS) {
      this.sweptAt = now;
      for (const [key, window] of this.windows) {
        if (window.resetAt <= now) {
          this.windows.delete(key);
        }
      }
    }
    for (const key of this.windows.keys()) {
      if (this.windows.size < MAX_MEMORY_KEYS) {
        break;
      }
      this.windows.delete(key);
    }
  }
}

class RedisStore {
  constructor(client) {
    this.client = client;
  }

  async hit(key, windowMs) {
    const [count, ttl] = await this.client.eval(HIT, { keys: [key], arguments: [String(windowMs)] });
    return { count: Number(count), resetMs: Number(ttl) };
  }
}

const BOOT_ATTEMPTS = 3;
let redis = null;
let connectedOnce = false;

// Before the first connection a few attempts, then the boot fails; after it, reconnect
// for as long as it takes (limited routes answer 503 meanwhile).
function reconnectDelay(retries, cause) {
  if (!connectedOnce && retries >= BOOT_ATTEMPTS) {
    return cause;
  }
  return Math.min(100 * 2 ** retries, 3000);
}

// One Redis connection per process, shared by every limiter. Commands fail at once
// while it is down (no offline queue), so a request is never held waiting for Redis.
function redisClient() {
  if (redis === null) {
    redis = createClient({
      url: config.redisUrl,
      disableOfflineQueue: true,
      socket: { connectTimeout: 5000, reconnectStrategy: reconnectDelay },
    });
    redis.on('ready', () => {
      connectedOnce = true;
    });
    redis.on('error', (err) => logger.error({ err }, 'rate limit store (Redis) error'));
  }
  return redis;
}

function createStore() {
  return config.redisUrl ? new RedisStore(redisClient()) : new MemoryStore();
}

// Connects to Redis when REDIS_URL is set; rejects when it cannot.
async function connectRateLimitStore() {
  if (config.redisUrl && !redisClient().isOpen) {
    await redisClient().connect();
  }
}

async function closeRateLimitStore() {
  if (redis !== null && redis.isOpen) {
    await redis.close();
  }
}

// A client address as a key: an IPv4 address, or the /64 network of an IPv6 one (one
// host usually holds a whole /64, so counting single addresses would be no limit).
function addressKey(ip) {
  if (typeof ip !== 'string' || ip === '') {
    return 'unknown';
  }
  if (ip.startsWith('::ffff:') && net.isIPv4(ip.slice(7))) {
    return ip.slice(7);
  }
  if (!net.isIPv6(ip)) {
    return ip;
  }
  const [head, tail] = ip.split('%')[0].split('::');
  const first = head ? head.split(':') : [];
  const last = tail ? tail.split(':') : [];
  const groups = tail === undefined ? first
    : [...first, ...Array(Math.max(0, 8 - first.length - last.length)).fill('0'), ...last];
  return `${groups.slice(0, 4).map((g) => Number.parseInt(g, 16).toString(16)).join(':')}::/64`;
}

// An account key (a login name, a refresh token, a user id) as a short digest: keys
// compare case-insensitively and no secret is stored in the counters.
function accountKey(value) {
  const text = String(value ?? '').trim().toLowerCase();
  return crypto.createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

async function consume(store, name, rate, key) {
  if (rate === null) {
    return;
  }
  let hit;
  try {
    hit = await store.hit(`${PREFIX}${name}:${key}`, rate.windowMs);
  } catch (err) {
    logger.error({ err }, 'rate limit store failed');
    throw new ServiceUnavailableError('The rate limit store does not answer: try again later');
  }
  if (hit.count > rate.limit) {
    throw new TooManyRequestsError(Math.max(1, Math.ceil(hit.resetMs / 1000)));
  }
}

// Every request but /health (load balancer probes), per client address.
function globalLimiter() {
  const store = createStore();
  return async (req, res, next) => {
    if (req.path !== '/health') {
      await consume(store, 'global', config.rateLimits.global, addressKey(req.ip));
    }
    next();
  };
}

// limit(route, accountOf): middleware counting a request per client address and per
// account (`accountOf(req)`), each against its own limit.
function authLimiters() {
  const store = createStore();
  const { authIp, authAccount } = config.rateLimits;
  return (route, accountOf) => async (req, res, next) => {
    await consume(store, `${route}:ip`, authIp, addressKey(req.ip));
    await consume(store, `${route}:account`, authAccount, accountKey(accountOf(req)));
    next();
  };
}

module.exports = {
  globalLimiter,
  authLimiters,
  connectRateLimitStore,
  closeRateLimitStore,
  addressKey,
};
