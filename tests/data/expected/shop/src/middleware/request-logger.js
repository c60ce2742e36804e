'use strict';

const pinoHttp = require('pino-http');
const { logger } = require('../utils/logger');

// One log line per request (method, URL, status, duration): 4xx as warn, 5xx as
// error. Headers stay out of the logs; health probes stay quiet.
const requestLogger = pinoHttp({
  logger,
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
