import { config } from './config';
import {
  AppError,
  BadRequestError,
  ValidationError,
  UnauthorizedError,
  ForbiddenError,
  NotFoundError,
  ConflictError,
  NotImplementedError,
} from './errors';
import { logger } from './logger';
import { sendList, sendCreated, sendNoContent, itemLocation } from './responses';
import {
  bodyAjv,
  inputAjv,
  compileBodyValidator,
  compileInputValidator,
  toFieldErrors,
} from './validation';

export {
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
