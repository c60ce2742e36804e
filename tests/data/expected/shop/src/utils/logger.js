'use strict';

const pino = require('pino');
const { config } = require('./config');

// JSON logs on stdout; credentials never reach them.
const logger = pino({
  level: config.logLevel,
  redact: {
    paths: ['req.headers.authorization', 'req.headers.cookie', 'password', '*.password'],
    censor: '[redacted]',
  },
});

module.exports = { logger };
