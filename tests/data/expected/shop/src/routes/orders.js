'use strict';

const express = require('express');
const { validate } = require('../middleware/validate');
const { ordersSchemas } = require('../schemas/orders');
const {
  listOrdersHandler,
  getOrderHandler,
  createOrderHandler,
  updateOrderHandler,
  replaceOrderHandler,
  deleteOrderHandler,
} = require('../handlers/orders');

const ordersRouter = express.Router();

ordersRouter.get(
  '/orders',
  validate({ query: ordersSchemas.listQuery }),
  listOrdersHandler,
);
ordersRouter.post(
  '/orders',
  validate({ body: ordersSchemas.create }),
  createOrderHandler,
);
ordersRouter.get(
  '/orders/:id',
  validate({ params: ordersSchemas.params }),
  getOrderHandler,
);
ordersRouter.put(
  '/orders/:id',
  validate({ params: ordersSchemas.params, body: ordersSchemas.replace }),
  replaceOrderHandler,
);
ordersRouter.patch(
  '/orders/:id',
  validate({ params: ordersSchemas.params, body: ordersSchemas.update }),
  updateOrderHandler,
);
ordersRouter.delete(
  '/orders/:id',
  validate({ params: ordersSchemas.params }),
  deleteOrderHandler,
);

module.exports = { ordersRouter };
