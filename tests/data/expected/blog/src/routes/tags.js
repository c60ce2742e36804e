'use strict';

const express = require('express');
const { validate } = require('../middleware/validate');
const { requireAuth, allow } = require('../auth/middleware');
const { POLICY } = require('../policies/tags');
const { tagsSchemas } = require('../schemas/tags');
const {
  listTagsHandler,
  getTagHandler,
  createTagHandler,
  updateTagHandler,
  replaceTagHandler,
  deleteTagHandler,
} = require('../handlers/tags');

const tagsRouter = express.Router();

// Each route applies the table's access policy (src/policies/tags.js): no token is
// 401, a role the rule leaves out is 403, and the service limits owner rules to the
// caller's rows in SQL. An operation the policy allows no one has no route.

tagsRouter.get(
  '/tags',
  requireAuth,
  allow(POLICY.rules.list),
  validate({ query: tagsSchemas.listQuery }),
  listTagsHandler,
);
tagsRouter.post(
  '/tags',
  requireAuth,
  allow(POLICY.rules.create),
  validate({ body: tagsSchemas.create }),
  createTagHandler,
);
tagsRouter.get(
  '/tags/:id',
  requireAuth,
  allow(POLICY.rules.read),
  validate({ params: tagsSchemas.params }),
  getTagHandler,
);
tagsRouter.put(
  '/tags/:id',
  requireAuth,
  allow(POLICY.rules.update),
  validate({ params: tagsSchemas.params, body: tagsSchemas.replace }),
  replaceTagHandler,
);
tagsRouter.patch(
  '/tags/:id',
  requireAuth,
  allow(POLICY.rules.update),
  validate({ params: tagsSchemas.params, body: tagsSchemas.update }),
  updateTagHandler,
);
tagsRouter.delete(
  '/tags/:id',
  requireAuth,
  allow(POLICY.rules.delete),
  validate({ params: tagsSchemas.params }),
  deleteTagHandler,
);

module.exports = { tagsRouter };
