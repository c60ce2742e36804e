'use strict';

const express = require('express');
const { validate } = require('../middleware/validate');
const { customSchemas } = require('../schemas/custom');
const { getSearchHandler } = require('../handlers/custom');

const customRouter = express.Router();

// GET /search: Search posts by text
customRouter.get(
  '/search',
  validate({ params: customSchemas.endpoints.getSearch.params }),
  getSearchHandler,
);

module.exports = { customRouter };
