import express from 'express';
import type { Express, Request, Response } from 'express';
import helmet from 'helmet';
import cors from 'cors';
import swaggerUi from 'swagger-ui-express';
import { config } from './utils/config';
import { ping } from './db';
import { requestLogger, notFound, errorHandler } from './middleware';
import { globalLimiter } from './middleware/rate-limit';
import { createApiRouter } from './routes';
import { buildOpenApiDocument } from './openapi';

// CORS_ORIGINS: none by default (same-origin only), * only in development or test.
function corsOptions(): cors.CorsOptions {
  const origins = config.corsOrigins;
  return {
    origin: origins === '*' ? '*' : origins.length > 0 ? origins : false,
    exposedHeaders: ['X-Request-Id'],
  };
}

// 200 when the database answers, 503 when it does not (for load balancers).
async function health(req: Request, res: Response): Promise<void> {
  try {
    await ping();
    res.status(200).json({ status: 'ok', database: 'up' });
  } catch (err) {
    req.log.warn({ err }, 'health check: database unreachable');
    res.status(503).json({ status: 'error', database: 'down' });
  }
}

// A new Express app; tests create one per suite, src/index.ts one per process.
function createApp(): Express {
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
    app.get('/openapi.json', (_req, res) => {
      res.status(200).json(openapi);
    });
    app.use('/docs', swaggerUi.serve, swaggerUi.setup(openapi));
  }
  app.use(config.apiPrefix || '/', createApiRouter());

  app.use(notFound);
  app.use(errorHandler);
  return app;
}

export { createApp };
