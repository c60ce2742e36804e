import express from 'express';
import type { Request, Router } from 'express';
import { validate, validatedOf } from '../middleware/validate';
import { authLimiters } from '../middleware/rate-limit';
import { requireAuth } from './middleware';
import { authSchemas } from './schemas';
import * as handlers from './handlers';

// The login property (the login schema requires it first).
const LOGIN = authSchemas.login.required[0] ?? '';

function bodyValue(req: Request, prop: string): unknown {
  return validatedOf(req).body[prop];
}

// The account routes. Login, register, refresh and password change are rate limited per
// client address and per account (the login name, the refresh token, the user), counted
// before any password is checked.
function createAuthRouter(): Router {
  const router: Router = express.Router();
  const limit = authLimiters();
  router.post('/auth/register', validate({ body: authSchemas.register }),
    limit('register', (req) => bodyValue(req, LOGIN)), handlers.registerHandler);
  router.post('/auth/login', validate({ body: authSchemas.login }),
    limit('login', (req) => bodyValue(req, LOGIN)), handlers.loginHandler);
  router.post('/auth/refresh', validate({ body: authSchemas.refresh }),
    limit('refresh', (req) => bodyValue(req, 'refreshToken')), handlers.refreshHandler);
  router.post('/auth/logout', validate({ body: authSchemas.refresh }), handlers.logoutHandler);
  router.post('/auth/password', requireAuth, validate({ body: authSchemas.passwordChange }),
    limit('password', (req) => String(req.user?.id)), handlers.passwordHandler);
  router.get('/auth/me', requireAuth, handlers.meHandler);
  return router;
}

export { createAuthRouter };
