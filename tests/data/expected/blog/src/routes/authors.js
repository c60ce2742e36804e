'use strict';

const express = require('express');
const { validate } = require('../middleware/validate');
const { requireAuth, allow } = require('../auth/middleware');
const { POLICY } = require('../policies/authors');
const { authorsSchemas } = require('../schemas/authors');
const {
  listAuthorsHandler,
  getAuthorHandler,
  updateAuthorHandler,
  replaceAuthorHandler,
  deleteAuthorHandler,
} = require('../handlers/authors');

const authorsRouter = express.Router();

// Each route applies the table's access policy (src/policies/authors.js): no token is
// 401, a role the rule leaves out is 403, and the service limits owner rules to the
// caller's rows in SQL. An operation the policy allows no one has no route.

authorsRouter.get(
  '/authors',
  requireAuth,
  allow(POLICY.rules.list),
  validate({ query: authorsSchemas.listQuery }),
  listAuthorsHandler,
);
authorsRouter.get(
  '/authors/:id',
  requireAuth,
  allow(POLICY.rules.read),
  validate({ params: authorsSchemas.params }),
  getAuthorHandler,
);
authorsRouter.put(
  '/authors/:id',
  requireAuth,
  allow(POLICY.rules.update),
  validate({ params: authorsSchemas.params, body: authorsSchemas.replace }),
  replaceAuthorHandler,
);
authorsRouter.patch(
  '/authors/:id',
  requireAuth,
  allow(POLICY.rules.update),
  validate({ params: authorsSchemas.params, body: authorsSchemas.update }),
  updateAuthorHandler,
);
authorsRouter.delete(
  '/authors/:id',
  requireAuth,
  allow(POLICY.rules.delete),
  validate({ params: authorsSchemas.params }),
  deleteAuthorHandler,
);

module.exports = { authorsRouter };
