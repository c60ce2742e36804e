'use strict';

const express = require('express');
const { validate } = require('../middleware/validate');
const { productCategoriesSchemas } = require('../schemas/product-categories');
const {
  listProductCategoriesHandler,
  getProductCategoryHandler,
  createProductCategoryHandler,
  deleteProductCategoryHandler,
} = require('../handlers/product-categories');

const productCategoriesRouter = express.Router();

productCategoriesRouter.get(
  '/product-categories',
  validate({ query: productCategoriesSchemas.listQuery }),
  listProductCategoriesHandler,
);
productCategoriesRouter.post(
  '/product-categories',
  validate({ body: productCategoriesSchemas.create }),
  createProductCategoryHandler,
);
productCategoriesRouter.get(
  '/product-categories/:product_id/:category_id',
  validate({ params: productCategoriesSchemas.params }),
  getProductCategoryHandler,
);
productCategoriesRouter.delete(
  '/product-categories/:product_id/:category_id',
  validate({ params: productCategoriesSchemas.params }),
  deleteProductCategoryHandler,
);

module.exports = { productCategoriesRouter };
