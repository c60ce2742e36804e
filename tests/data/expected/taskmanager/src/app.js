'use strict';

const express = require('express');
const helmet = require('helmet');
const cors = require('cors');
const swaggerUi = require('swagger-ui-express');
const { config } = require('./utils/config');
const { ping } = require('./db');
const { requestLogger, notFound, errorHandler } = require('./middleware');
const { globalLimiter } = require('./middleware/rate-limit');
const { createApiRouter } = require('./routes');
const { buildOpenApiDocument } = require('./openapi');

// CORS_ORIGINS: none by default (same-origin only), * only in development or test.
function corsOptions() {
  const origins = config.corsOrigins;
  return {
    origin: origins === '*' ? '*' : origins.length > 0 ? origins : false,
    exposedHeaders: ['X-Request-Id'],
  };
}

// 200 when the database answers, 503 when it does not (for load balancers).
async function health(req, res) {
  try {
    await ping();
    res.status(200).json({ status: 'ok', database: 'up' });
  } catch (err) {
    req.log.warn({ err }, 'health check: database unreachable');
    res.status(503).json({ status: 'error', database: 'down' });
  }
}

// A new Express app; tests create one per suite, src/index.js one per process.
function createApp() {
  const app = express();
  const openapi = buildOpenApiDocument();

  app.disable('x-powered-by');
  // Behind a load balancer, TRUST_PROXY makes req.ip and req.protocol the client's.
  app.set('trust proxy', config.trustProxy);
  app.use(helmet({
    // Browsers would upgrade the docs' requests to https: only wanted behind TLS.
    contentSecurityPolicy: {
      directives: { upgradeInsecureRequests: config.isProduction ? [] : null },
    },
  }));
  app.use(cors(corsOptions()));
  app.use(requestLogger);
  // RATE_LIMIT_GLOBAL per client address, before the body is even parsed.
  app.use(globalLimiter());
  app.use(express.json({ limit: config.jsonBodyLimit }));

  app.get('/health', health);
  // The document and Swagger UI: on by default in development and test, in
  // production only with DOCS_ENABLED=true (otherwise both answer 404).
  if (config.docsEnabled) {
    app.get('/openapi.json', (req, res) => {
      res.status(200).json(openapi);
    });
    app.use('/docs', swaggerUi.serve, swaggerUi.setup(openapi));
  }
  app.use(config.apiPrefix || '/', createApiRouter());

  app.use(notFound);
  app.use(errorHandler);
  return app;
}

module.exports = { createApp };
