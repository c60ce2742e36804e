// Fixed-window rate limits: at most `limit` requests per key in each window, then 429
// with Retry-After (seconds until the window ends). Counters live in memory, one set per
// app, unless REDIS_URL is set: then every instance behind the load balancer counts in
// the same Redis, so a client cannot multiply its budget by the number of instances.
// If Redis does not answer, limited routes answer 503 (fail closed) instead of letting
// unlimited password guesses through; src/index.ts connects before it listens.
import crypto from 'node:crypto';
import net from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import { createClient } from '@redis/client';
import { config } from '../utils/config';
import type { Rate } from '../utils/config';
import { logger } from '../utils/logger';
import { TooManyRequestsError, ServiceUnavailableError } from '../utils/errors';

type Middleware = (req: Request, res: Response, next: NextFunction) => Promise<void>;

interface Hit {
  count: number;
  resetMs: number;
}

interface Store {
  hit(key: string, windowMs: number): Promise<Hit>;
}

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

class MemoryStore implements Store {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  private sweptAt = Date.now();

  hit(key: string, windowMs: number): Promise<Hit> {
    const now = Date.now();
    this.sweep(now);
    let window = this.windows.get(key);
    if (window === undefined || window.resetAt <= now) {
      window = { count: 0, resetAt: now + windowMs };
      this.windows.delete(key);
      this.windows.set(key, window);
    }
    window.count += 1;
    return Promise.resolve({ count: window.count, resetMs: window.resetAt - now });
  }

  // Drops ended windows now and then; past MAX_MEMORY_KEYS the oldest go first, so a
  // flood of distinct keys cannot grow the map without bound.
  private sweep(now: number): void {
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

type RedisClient = ReturnType<typeof createClient>;

class RedisStore implements Store {
  constructor(private readonly client: RedisClient) {}

  async hit(key: string, windowMs: number): Promise<Hit> {
    const reply = await this.client.eval(HIT, { keys: [key], arguments: [String(windowMs)] });
    const [count, ttl] = reply as unknown as [number, number];
    return { count: Number(count), resetMs: Number(ttl) };
  }
}

const BOOT_ATTEMPTS = 3;
let redis: RedisClient | null = null;
let connectedOnce = false;

// Before the first connection a few attempts, then the boot fails; after it, reconnect
// for as long as it takes (limited routes answer 503 meanwhile).
function reconnectDelay(retries: number, cause: Error): number | Error {
  if (!connectedOnce && retries >= BOOT_ATTEMPTS) {
    return cause;
  }
  return Math.min(100 * 2 ** retries, 3000);
}

// One Redis connection per process, shared by every limiter. Commands fail at once
// while it is down (no offline queue), so a request is never held waiting for Redis.
function redisClient(): RedisClient {
  if (redis === null) {
    const client: RedisClient = createClient({
      url: config.redisUrl,
      disableOfflineQueue: true,
      socket: { connectTimeout: 5000, reconnectStrategy: reconnectDelay },
    });
    client.on('ready', () => {
      connectedOnce = true;
    });
    client.on('error', (err: unknown) => logger.error({ err }, 'rate limit store (Redis) error'));
    redis = client;
  }
  return redis;
}

function createStore(): Store {
  return config.redisUrl ? new RedisStore(redisClient()) : new MemoryStore();
}

// Connects to Redis when REDIS_URL is set; rejects when it cannot.
async function connectRateLimitStore(): Promise<void> {
  if (config.redisUrl && !redisClient().isOpen) {
    await redisClient().connect();
  }
}

async function closeRateLimitStore(): Promise<void> {
  if (redis !== null && redis.isOpen) {
    await redis.close();
  }
}

// A client address as a key: an IPv4 address, or the /64 network of an IPv6 one (one
// host usually holds a whole /64, so counting single addresses would be no limit).
function addressKey(ip: string | undefined): string {
  if (typeof ip !== 'string' || ip === '') {
    return 'unknown';
  }
  if (ip.startsWith('::ffff:') && net.isIPv4(ip.slice(7))) {
    return ip.slice(7);
  }
  if (!net.isIPv6(ip)) {
    return ip;
  }
  const [head, tail] = (ip.split('%')[0] ?? '').split('::');
  const first = head ? head.split(':') : [];
  const last = tail ? tail.split(':') : [];
  const groups = tail === undefined ? first
    : [...first, ...Array<string>(Math.max(0, 8 - first.length - last.length)).fill('0'), ...last];
  return `${groups.slice(0, 4).map((g) => Number.parseInt(g, 16).toString(16)).join(':')}::/64`;
}

// An account key (a login name, a refresh token, a user id) as a short digest: keys
// compare case-insensitively and no secret is stored in the counters.
function accountKey(value: unknown): string {
  const text = (typeof value === 'string' || typeof value === 'number' ? String(value) : '')
    .trim().toLowerCase();
  return crypto.createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

async function consume(store: Store, name: string, rate: Rate | null, key: string): Promise<void> {
  if (rate === null) {
    return;
  }
  let hit: Hit;
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
function globalLimiter(): Middleware {
  const store = createStore();
  return async (req, _res, next) => {
    if (req.path !== '/health') {
      await consume(store, 'global', config.rateLimits.global, addressKey(req.ip));
    }
    next();
  };
}

// limit(route, accountOf): middleware counting a request per client address and per
// account (`accountOf(req)`), each against its own limit.
function authLimiters(): (route: string, accountOf: (req: Request) => unknown) => Middleware {
  const store = createStore();
  const { authIp, authAccount } = config.rateLimits;
  return (route, accountOf) => async (req, _res, next) => {
    await consume(store, `${route}:ip`, authIp, addressKey(req.ip));
    await consume(store, `${route}:account`, authAccount, accountKey(accountOf(req)));
    next();
  };
}

export {
  globalLimiter,
  authLimiters,
  connectRateLimitStore,
  closeRateLimitStore,
  addressKey,
};
