import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pinoHttp from 'pino-http';
import { logger } from '../utils/logger';

// A caller's (or load balancer's) X-Request-Id is kept when it is a plain token;
// anything else is replaced by a random UUID. Either way it is echoed back.
const REQUEST_ID = /^[A-Za-z0-9._:=+/-]{1,128}$/;

function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

// One log line per request (method, URL, status, duration, request id, signed-in
// user): 4xx as warn, 5xx as error. Headers stay out of the logs; health probes
// stay quiet.
const requestLogger = pinoHttp({
  logger,
  genReqId: requestId,
  customProps: (req) => {
    const user = (req as { user?: { id: unknown } }).user;
    return user ? { userId: user.id } : {};
  },
  serializers: {
    req: (req: { id: unknown; method: string; url: string }) => ({
      id: req.id, method: req.method, url: req.url,
    }),
    res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
  },
  customLogLevel(_req, res, err) {
    if (err || res.statusCode >= 500) {
      return 'error';
    }
    return res.statusCode >= 400 ? 'warn' : 'info';
  },
  autoLogging: { ignore: (req) => req.url === '/health' },
});

export { requestLogger };
