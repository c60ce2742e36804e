import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { closePool } from './db';
import { connectRateLimitStore, closeRateLimitStore } from './middleware/rate-limit';
import { config } from './utils/config';
import { logger } from './utils/logger';

const SHUTDOWN_GRACE_MS = 10000;

let server: Server | undefined;

function listen(): void {
  const listening = createApp().listen(config.port, config.host, (err?: Error) => {
    if (err) {
      logger.fatal({ err }, 'could not start the server');
      process.exit(1);
    }
    const { address, port } = listening.address() as AddressInfo;
    logger.info({
      address, port, docs: config.docsEnabled ? '/docs' : 'off',
      rateLimitStore: config.redisUrl ? 'redis' : 'memory',
      keepAliveTimeoutMs: listening.keepAliveTimeout, headersTimeoutMs: listening.headersTimeout,
    }, 'server listening');
  });
  // Longer than the load balancer's idle timeout, so the balancer closes idle
  // connections first and never sends a request on one the server just closed.
  listening.keepAliveTimeout = config.keepAliveTimeoutMs;
  listening.headersTimeout = config.headersTimeoutMs;
  server = listening;
}

// With REDIS_URL the shared rate limit store must answer before the server takes
// requests: an instance that cannot count would refuse every limited request.
connectRateLimitStore().then(listen, (err: unknown) => {
  logger.fatal({ err }, 'could not connect to the rate limit store (REDIS_URL)');
  process.exit(1);
});

let stopping = false;

// Stop accepting connections, let requests in flight finish, close the pool and the
// rate limit store.
function shutdown(signal: string): void {
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
  server.close((err) => {
    void Promise.allSettled([closePool(), closeRateLimitStore()])
      .then(() => process.exit(err ? 1 : 0));
  });
}

process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
