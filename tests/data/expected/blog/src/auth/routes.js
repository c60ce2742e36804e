'use strict';

const express = require('express');
const { validate } = require('../middleware/validate');
const { authLimiters } = require('../middleware/rate-limit');
const { requireAuth } = require('./middleware');
const { authSchemas } = require('./schemas');
const handlers = require('./handlers');

// The account routes. Login, register, refresh and password change are rate limited per
// client address and per account (the login name, the refresh token, the user), counted
// before any password is checked.
function createAuthRouter() {
  const router = express.Router();
  const limit = authLimiters();
  router.post('/auth/register', validate({ body: authSchemas.register }),
    limit('register', (req) => req.validated.body[authSchemas.login.required[0]]),
    handlers.registerHandler);
  router.post('/auth/login', validate({ body: authSchemas.login }),
    limit('login', (req) => req.validated.body[authSchemas.login.required[0]]),
    handlers.loginHandler);
  router.post('/auth/refresh', validate({ body: authSchemas.refresh }),
    limit('refresh', (req) => req.validated.body.refreshToken), handlers.refreshHandler);
  router.post('/auth/logout', validate({ body: authSchemas.refresh }), handlers.logoutHandler);
  router.post('/auth/password', requireAuth, validate({ body: authSchemas.passwordChange }),
    limit('password', (req) => String(req.user.id)), handlers.passwordHandler);
  router.get('/auth/me', requireAuth, handlers.meHandler);
  return router;
}

module.exports = { createAuthRouter };
