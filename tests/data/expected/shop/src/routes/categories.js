'use strict';

const express = require('express');
const { validate } = require('../middleware/validate');
const { categoriesSchemas } = require('../schemas/categories');
const {
  listCategoriesHandler,
  getCategoryHandler,
  createCategoryHandler,
  updateCategoryHandler,
  replaceCategoryHandler,
  deleteCategoryHandler,
} = require('../handlers/categories');

const categoriesRouter = express.Router();

categoriesRouter.get(
  '/categories',
  validate({ query: categoriesSchemas.listQuery }),
  listCategoriesHandler,
);
categoriesRouter.post(
  '/categories',
  validate({ body: categoriesSchemas.create }),
  createCategoryHandler,
);
categoriesRouter.get(
  '/categories/:id',
  validate({ params: categoriesSchemas.params }),
  getCategoryHandler,
);
categoriesRouter.put(
  '/categories/:id',
  validate({ params: categoriesSchemas.params, body: categoriesSchemas.replace }),
  replaceCategoryHandler,
);
categoriesRouter.patch(
  '/categories/:id',
  validate({ params: categoriesSchemas.params, body: categoriesSchemas.update }),
  updateCategoryHandler,
);
categoriesRouter.delete(
  '/categories/:id',
  validate({ params: categoriesSchemas.params }),
  deleteCategoryHandler,
);

module.exports = { categoriesRouter };
