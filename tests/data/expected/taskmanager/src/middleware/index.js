'use strict';

const { errorHandler } = require('./error-handler');
const { notFound } = require('./not-found');
const { requestLogger } = require('./request-logger');
const { validate } = require('./validate');

module.exports = { errorHandler, notFound, requestLogger, validate };
