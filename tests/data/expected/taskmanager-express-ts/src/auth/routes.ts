import express from 'express';
import type { Router } from 'express';
import { validate } from '../middleware/validate';
import { requireAuth } from './middleware';
import { authSchemas } from './schemas';
import { registerHandler, loginHandler, meHandler } from './handlers';

const authRouter: Router = express.Router();

authRouter.post('/auth/register', validate({ body: authSchemas.register }), registerHandler);
authRouter.post('/auth/login', validate({ body: authSchemas.login }), loginHandler);
authRouter.get('/auth/me', requireAuth, meHandler);

export { authRouter };
