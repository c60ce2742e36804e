import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { closePool } from './db';
import { config } from './utils/config';
import { logger } from './utils/logger';

const SHUTDOWN_GRACE_MS = 10000;

const server = createApp().listen(config.port, config.host, (err?: Error) => {
  if (err) {
    logger.fatal({ err }, 'could not start the server');
    process.exit(1);
  }
  const { address, port } = server.address() as AddressInfo;
  logger.info({
    address, port, docs: config.docsEnabled ? '/docs' : 'off',
    keepAliveTimeoutMs: server.keepAliveTimeout, headersTimeoutMs: server.headersTimeout,
  }, 'server listening');
});
// Longer than the load balancer's idle timeout, so the balancer closes idle
// connections first and never sends a request on one the server just closed.
server.keepAliveTimeout = config.keepAliveTimeoutMs;
server.headersTimeout = config.headersTimeoutMs;

let stopping = false;

// Stop accepting connections, let requests in flight finish, close the pool.
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
  server.close((err) => {
    void closePool().finally(() => process.exit(err ? 1 : 0));
  });
}

process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
