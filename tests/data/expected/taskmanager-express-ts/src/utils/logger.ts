import pino from 'pino';
import { config } from './config';

// JSON logs on stdout; credentials never reach them.
const logger = pino({
  level: config.logLevel,
  redact: {
    paths: ['req.headers.authorization', 'req.headers.cookie', 'password', '*.password'],
    censor: '[redacted]',
  },
});

export { logger };
