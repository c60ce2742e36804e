'use strict';

const { createApp } = require('./app');
const { closePool } = require('./db');
const { config } = require('./utils/config');
const { logger } = require('./utils/logger');

const SHUTDOWN_GRACE_MS = 10000;

const server = createApp().listen(config.port, (err) => {
  if (err) {
    logger.fatal({ err }, 'could not start the server');
    process.exit(1);
  }
  logger.info({ port: config.port, docs: '/docs' }, 'server listening');
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
  server.close(async (err) => {
    await closePool();
    process.exit(err ? 1 : 0);
  });
}

process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
