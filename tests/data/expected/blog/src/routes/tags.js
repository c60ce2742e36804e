'use strict';

const express = require('express');
const { validate } = require('../middleware/validate');
const { requireAuth } = require('../auth/middleware');
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

tagsRouter.get(
  '/tags',
  validate({ query: tagsSchemas.listQuery }),
  listTagsHandler,
);
tagsRouter.post(
  '/tags',
  requireAuth,
  validate({ body: tagsSchemas.create }),
  createTagHandler,
);
tagsRouter.get(
  '/tags/:id',
  validate({ params: tagsSchemas.params }),
  getTagHandler,
);
tagsRouter.put(
  '/tags/:id',
  requireAuth,
  validate({ params: tagsSchemas.params, body: tagsSchemas.replace }),
  replaceTagHandler,
);
tagsRouter.patch(
  '/tags/:id',
  requireAuth,
  validate({ params: tagsSchemas.params, body: tagsSchemas.update }),
  updateTagHandler,
);
tagsRouter.delete(
  '/tags/:id',
  requireAuth,
  validate({ params: tagsSchemas.params }),
  deleteTagHandler,
);

module.exports = { tagsRouter };
