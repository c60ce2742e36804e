'use strict';

const express = require('express');
const { validate } = require('../middleware/validate');
const { requireAuth } = require('./middleware');
const { authSchemas } = require('./schemas');
const { registerHandler, loginHandler, meHandler } = require('./handlers');

const authRouter = express.Router();

authRouter.post('/auth/register', validate({ body: authSchemas.register }), registerHandler);
authRouter.post('/auth/login', validate({ body: authSchemas.login }), loginHandler);
authRouter.get('/auth/me', requireAuth, meHandler);

module.exports = { authRouter };
