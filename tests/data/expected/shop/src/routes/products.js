'use strict';

const express = require('express');
const { validate } = require('../middleware/validate');
const { productsSchemas } = require('../schemas/products');
const {
  listProductsHandler,
  getProductHandler,
  createProductHandler,
  updateProductHandler,
  replaceProductHandler,
  deleteProductHandler,
} = require('../handlers/products');

const productsRouter = express.Router();

productsRouter.get(
  '/products',
  validate({ query: productsSchemas.listQuery }),
  listProductsHandler,
);
productsRouter.post(
  '/products',
  validate({ body: productsSchemas.create }),
  createProductHandler,
);
productsRouter.get(
  '/products/:id',
  validate({ params: productsSchemas.params }),
  getProductHandler,
);
productsRouter.put(
  '/products/:id',
  validate({ params: productsSchemas.params, body: productsSchemas.replace }),
  replaceProductHandler,
);
productsRouter.patch(
  '/products/:id',
  validate({ params: productsSchemas.params, body: productsSchemas.update }),
  updateProductHandler,
);
productsRouter.delete(
  '/products/:id',
  validate({ params: productsSchemas.params }),
  deleteProductHandler,
);

module.exports = { productsRouter };
