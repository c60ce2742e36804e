'use strict';

const { config } = require('./config');
const {
  AppError,
  BadRequestError,
  ValidationError,
  UnauthorizedError,
  ForbiddenError,
  NotFoundError,
  ConflictError,
  NotImplementedError,
} = require('./errors');
const { logger } = require('./logger');
const { sendList, sendCreated, sendNoContent, itemLocation } = require('./responses');
const {
  bodyAjv,
  inputAjv,
  compileBodyValidator,
  compileInputValidator,
  toFieldErrors,
} = require('./validation');

module.exports = {
  config,
  logger,
  AppError,
  BadRequestError,
  ValidationError,
  UnauthorizedError,
  ForbiddenError,
  NotFoundError,
  ConflictError,
  NotImplementedError,
  sendList,
  sendCreated,
  sendNoContent,
  itemLocation,
  bodyAjv,
  inputAjv,
  compileBodyValidator,
  compileInputValidator,
  toFieldErrors,
};
