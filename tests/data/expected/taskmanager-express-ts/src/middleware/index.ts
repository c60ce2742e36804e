import { errorHandler } from './error-handler';
import { notFound } from './not-found';
import { requestLogger } from './request-logger';
import { validate, validatedOf } from './validate';

export { errorHandler, notFound, requestLogger, validate, validatedOf };
export type { Validated } from './validate';
