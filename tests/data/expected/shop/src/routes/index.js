'use strict';

const express = require('express');
const { customersRouter } = require('./customers');
const { addressesRouter } = require('./addresses');
const { categoriesRouter } = require('./categories');
const { productsRouter } = require('./products');
const { productCategoriesRouter } = require('./product-categories');
const { ordersRouter } = require('./orders');
const { orderItemsRouter } = require('./order-items');
const { reviewsRouter } = require('./reviews');

// Every route of the API, relative to the prefix the app mounts it under.
// Routers with fixed paths go first so item routes (/:id) cannot shadow them.
function createApiRouter() {
  const router = express.Router();
  router.use(customersRouter);
  router.use(addressesRouter);
  router.use(categoriesRouter);
  router.use(productsRouter);
  router.use(productCategoriesRouter);
  router.use(ordersRouter);
  router.use(orderItemsRouter);
  router.use(reviewsRouter);
  return router;
}

module.exports = { createApiRouter };
