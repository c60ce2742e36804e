'use strict';

const { createApp } = require('./app');
const { closePool } = require('./db');
const { connectRateLimitStore, closeRateLimitStore } = require('./middleware/rate-limit');
const { config } = require('./utils/config');
const { logger } = require('./utils/logger');

const SHUTDOWN_GRACE_MS = 10000;

let server;

function listen() {
  server = createApp().listen(config.port, config.host, (err) => {
    if (err) {
      logger.fatal({ err }, 'could not start the server');
      process.exit(1);
    }
    const { address, port } = server.address();
    logger.info({
      address, port, docs: config.docsEnabled ? '/docs' : 'off',
      rateLimitStore: config.redisUrl ? 'redis' : 'memory',
      keepAliveTimeoutMs: server.keepAliveTimeout, headersTimeoutMs: server.headersTimeout,
    }, 'server listening');
  });
  // Longer than the load balancer's idle timeout, so the balancer closes idle
  // connections first and never sends a request on one the server just closed.
  server.keepAliveTimeout = config.keepAliveTimeoutMs;
  server.headersTimeout = config.headersTimeoutMs;
}

// With REDIS_URL the shared rate limit store must answer before the server takes
// requests: an instance that cannot count would refuse every limited request.
connectRateLimitStore().then(listen, (err) => {
  logger.fatal({ err }, 'could not connect to the rate limit store (REDIS_URL)');
  process.exit(1);
});

let stopping = false;

// Stop accepting connections, let requests in flight finish, close the pool.
function shutdown(signal) {
  if (stopping) {
    return;
  }
  stopping = true;
  logger.info({ signal }, 'shutting down');
  setTimeout(() => {
    logger.error('graceful shutdown timed out');
    process.exit(1);
  }, SHUTDOWN_GRACE_MS).unref();
  if (server === undefined) {
    process.exit(0);
  }
  server.close(async (err) => {
    await Promise.allSettled([closePool(), closeRateLimitStore()]);
    process.exit(err ? 1 : 0);
  });
}

process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
