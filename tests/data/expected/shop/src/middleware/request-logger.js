'use strict';

const { randomUUID } = require('node:crypto');
const pinoHttp = require('pino-http');
const { logger } = require('../utils/logger');

// A caller's (or load balancer's) X-Request-Id is kept when it is a plain token;
// anything else is replaced by a random UUID. Either way it is echoed back.
const REQUEST_ID = /^[A-Za-z0-9._:=+/-]{1,128}$/;

function requestId(req, res) {
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
  customProps: (req) => (req.user ? { userId: req.user.id } : {}),
  serializers: {
    req: (req) => ({ id: req.id, method: req.method, url: req.url }),
    res: (res) => ({ statusCode: res.statusCode }),
  },
  customLogLevel(req, res, err) {
    if (err || res.statusCode >= 500) {
      return 'error';
    }
    return res.statusCode >= 400 ? 'warn' : 'info';
  },
  autoLogging: { ignore: (req) => req.url === '/health' },
});

module.exports = { requestLogger };
