'use strict';

const express = require('express');
const { validate } = require('../middleware/validate');
const { requireAuth } = require('../auth/middleware');
const { authorsSchemas } = require('../schemas/authors');
const {
  listAuthorsHandler,
  getAuthorHandler,
  createAuthorHandler,
  updateAuthorHandler,
  replaceAuthorHandler,
  deleteAuthorHandler,
} = require('../handlers/authors');

const authorsRouter = express.Router();

authorsRouter.get(
  '/authors',
  validate({ query: authorsSchemas.listQuery }),
  listAuthorsHandler,
);
authorsRouter.post(
  '/authors',
  requireAuth,
  validate({ body: authorsSchemas.create }),
  createAuthorHandler,
);
authorsRouter.get(
  '/authors/:id',
  validate({ params: authorsSchemas.params }),
  getAuthorHandler,
);
authorsRouter.put(
  '/authors/:id',
  requireAuth,
  validate({ params: authorsSchemas.params, body: authorsSchemas.replace }),
  replaceAuthorHandler,
);
authorsRouter.patch(
  '/authors/:id',
  requireAuth,
  validate({ params: authorsSchemas.params, body: authorsSchemas.update }),
  updateAuthorHandler,
);
authorsRouter.delete(
  '/authors/:id',
  requireAuth,
  validate({ params: authorsSchemas.params }),
  deleteAuthorHandler,
);

module.exports = { authorsRouter };
